import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, FORMAT_VERSION } from './container.js';
import { FormatError } from '../core/errors.js';

test('arrays of every type round-trip exactly, with the manifest', () => {
  const arrays = {
    f64: Float64Array.from([Math.PI, -0, 1e-300, Number.MAX_VALUE, NaN]),
    f32: Float32Array.from([1.5, -2.25]),
    i32: Int32Array.from([-1, 2 ** 31 - 1]),
    u8: Uint8Array.from([0, 255, 7]),
  };
  const back = decode(encode({ manifest: { hello: 'world', n: 3 }, arrays }));
  assert.deepEqual(back.manifest, { hello: 'world', n: 3 });
  assert.deepEqual(back.arrays, arrays);
  assert.ok(Object.is(back.arrays['f64']![1], -0));
});

test('the layout is little-endian with the version after the magic', () => {
  const bytes = encode({ manifest: {}, arrays: { x: Float64Array.from([1]) } });
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), 'VIGILMDL');
  assert.equal(new DataView(bytes.buffer).getUint32(8, true), FORMAT_VERSION);
  assert.equal(bytes.length % 8, 0);
});

test('bad magic, newer version and truncation are named errors', () => {
  const bytes = encode({ manifest: {}, arrays: { x: new Float64Array(4) } });
  const wrongMagic = bytes.slice();
  wrongMagic[0] = 0;
  assert.throws(() => decode(wrongMagic), /not a vigil model file/);
  const newer = bytes.slice();
  new DataView(newer.buffer).setUint32(8, FORMAT_VERSION + 1, true);
  assert.throws(() => decode(newer), (e: unknown) => e instanceof FormatError && /upgrade vigil/.test(e.message));
  assert.throws(() => decode(bytes.slice(0, bytes.length - 8)), /truncated/);
});
