import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../core/errors.js';
import { idxImages, idxLabels, isGzip, labelImages, parseIdx } from './idx.js';

/** IDX bytes built by hand: 00 00 08 nd, big-endian sizes, then the values. */
function idx(dims: number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(Array.from(values), 4 + 4 * dims.length);
  return out;
}

// Three 2x3 images with seeded pseudo-random pixels.
const pixels = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => (i * 97 + 13) % 256);
const imageBytes = idx([3, 2, 3], pixels);
const labelBytes = idx([3], [7, 2, 7]);

test('IDX images read back as rows scaled to [0, 1], plain and gzip alike', () => {
  for (const bytes of [imageBytes, gzipSync(imageBytes)]) {
    const { X, shape } = idxImages(bytes, 'imgs');
    assert.deepEqual(shape, { height: 2, width: 3, channels: 1 });
    assert.equal(X.rows, 3);
    assert.equal(X.cols, 6);
    assert.deepEqual(Array.from(X.data), Array.from(pixels, (v) => v / 255));
  }
  assert.ok(isGzip(gzipSync(imageBytes)));
  assert.ok(!isGzip(imageBytes));
});

test('the header is big-endian: a size above 255 reads correctly', () => {
  const big = idx([1, 300], new Uint8Array(300).fill(5));
  assert.deepEqual(parseIdx(big, 'big').dims, [1, 300]);
});

test('IDX labels pair with images; classes are the sorted label values', () => {
  const set = labelImages(idxImages(imageBytes, 'i'), idxLabels(gzipSync(labelBytes), 'l'), { images: 'i', labels: 'l' });
  assert.deepEqual(set.classes, ['2', '7']);
  assert.deepEqual(Array.from(set.y), [1, 0, 1]);
});

test('mismatched image and label counts are one clear error naming both files', () => {
  assert.throws(
    () => labelImages(idxImages(imageBytes, 'a-images'), idxLabels(idx([2], [1, 2]), 'b-labels'), { images: 'a-images', labels: 'b-labels' }),
    (e: unknown) => e instanceof DataError && /a-images holds 3 images but b-labels holds 2 labels/.test(e.message),
  );
});

test('a bad magic, an unsupported type, truncation and extra bytes are DataErrors naming the file', () => {
  const bad = (bytes: Uint8Array, re: RegExp): void =>
    assert.throws(() => parseIdx(bytes, 'f.idx'), (e: unknown) => e instanceof DataError && e.message.startsWith('f.idx: ') && re.test(e.message));
  const wrongMagic = imageBytes.slice();
  wrongMagic[0] = 0x50;
  bad(wrongMagic, /not an IDX file \(bad magic 50 00 08 03/);
  const float = imageBytes.slice();
  float[2] = 0x0d;
  bad(float, /type float \(0x0d\) are not supported/);
  bad(imageBytes.subarray(0, imageBytes.length - 1), /truncated IDX file \(3 x 2 x 3 needs 18 bytes of data, found 17\)/);
  bad(imageBytes.subarray(0, 10), /truncated IDX file \(10 bytes, the header needs 16\)/);
  bad(imageBytes.subarray(0, 2), /truncated/);
  bad(gzipSync(imageBytes).subarray(0, 20), /not valid gzip data/);
  const extra = new Uint8Array(imageBytes.length + 2);
  extra.set(imageBytes);
  bad(extra, /2 bytes after the 3 x 2 x 3 values/);
  assert.throws(() => idxImages(labelBytes, 'l'), /an IDX image file has dimensions N x height x width/);
  assert.throws(() => idxLabels(imageBytes, 'i'), /an IDX label file has one dimension, this one has 3/);
});
