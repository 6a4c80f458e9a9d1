import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, FormatError, OptionsError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { defaultEngine, type Engine } from '../../engine/engine.js';
import { decode, encode } from '../../persist/container.js';
import { barImages } from '../../testing/synthetic.js';
import type { Detector } from '../detector.js';
import { rotnet, rotnetSpec } from './rotnet.js';

// 60 horizontal bars, then 4 vertical ones: each vertical bar is a horizontal one turned a quarter.
const X = barImages(64, 4);
const opts = { height: 8, width: 8, filters: [4, 8], featureSize: 16, epochs: 30, batchSize: 16, learningRate: 0.01, seed: 2 };
const top4 = (s: Float64Array): number[] => [...s.keys()].sort((i, j) => s[j]! - s[i]!).slice(0, 4).sort((i, j) => i - j);
const roundTrip = (d: Detector, o: Parameters<typeof rotnet>[0]): Detector => {
  const st = d.getState();
  const back = decode(encode({ manifest: { params: st.params }, arrays: st.arrays }));
  const r = rotnet(o);
  r.setState({ params: back.manifest['params'] as Record<string, never>, arrays: back.arrays });
  return r;
};

describe('rotnet', () => {
  let engine: Engine;
  let live = 0;
  const fitted: Record<string, { d: Detector; liveAfterFit: number }> = {};
  before(async () => {
    engine = await defaultEngine();
    live = engine.liveBuffers();
    for (const score of ['neighbors', 'transforms'] as const) {
      const d = rotnet({ ...opts, score });
      await d.fit(X);
      fitted[score] = { d, liveAfterFit: engine.liveBuffers() };
    }
  });

  for (const score of ['neighbors', 'transforms'] as const) {
    test(`score ${score}: the turned bars rank on top; no tensors leak; the state round trip scores the same`, async () => {
      const { d, liveAfterFit } = fitted[score]!;
      assert.equal(liveAfterFit, live);
      const s = await d.score(X);
      assert.equal(engine.liveBuffers(), live);
      assert.ok(s.every((v) => Number.isFinite(v) && v >= 0));
      assert.deepEqual(top4(s), [60, 61, 62, 63], `scores ${Array.from(s, (v) => v.toFixed(3)).join(' ')}`);
      assert.deepEqual(await roundTrip(d, { ...opts, score }).score(X), s);
    });
  }

  test('the neighbour score is the distance to the k-th nearest training image in unit-length features', async () => {
    const { d } = fitted['neighbors']!;
    // Each bar position appears 7 or 8 times among the 60 training bars, so a training bar has at
    // least 5 identical training images (distance 0) and a turned bar none.
    const s = await d.score(X);
    for (let i = 0; i < 60; i++) assert.equal(s[i], 0, `row ${i}`);
    // Unit-length features lie within distance 2 of each other.
    for (let i = 60; i < 64; i++) assert.ok(s[i]! > 0 && s[i]! <= 2, `row ${i}: ${s[i]}`);
  });

  test('the feature network and the head: stride-2 conv blocks, a dense feature layer, one logit per transformation', () => {
    const spec = rotnetSpec({ height: 8, width: 8, channels: 1, filters: [4, 8], kernelSize: 3, featureSize: 16 }, 8);
    const layers = (name: string) => spec.networks[name]!.layers.map((l) => (l.type === 'dense' ? `dense ${l.units} ${l.activation}` : l.type === 'conv2d' ? `conv2d ${l.filters}/${l.strides} ${l.activation}` : l.type));
    assert.deepEqual(layers('trunk'), ['conv2d 4/2 relu', 'conv2d 8/2 relu', 'flatten', 'dense 16 relu']);
    assert.deepEqual(layers('head'), ['dense 8 linear']);
  });

  test('bad input and damaged state are named errors', async () => {
    const { d } = fitted['neighbors']!;
    await assert.rejects(rotnet({ ...opts, height: 8, width: 4 }).fit(matrix(4, 32)), (e: unknown) => e instanceof DataError && /square images, got 8x4x1/.test((e as Error).message));
    await assert.rejects(rotnet(opts).fit(matrix(4, 63)), (e: unknown) => e instanceof DataError && /63 values but height x width x channels = 8 x 8 x 1 = 64/.test((e as Error).message));
    await assert.rejects(d.score(matrix(2, 63)), DataError);
    assert.throws(() => rotnet({ ...opts, transforms: 'translations' } as never), (e: unknown) => e instanceof OptionsError && /'transforms'/.test((e as Error).message));
    assert.throws(() => rotnet({ ...opts, score: 'softmax' } as never), (e: unknown) => e instanceof OptionsError && /'score'/.test((e as Error).message));
    const st = d.getState();
    const r = rotnet(opts);
    assert.throws(() => r.setState({ params: st.params, arrays: { ...st.arrays, bank: new Float64Array(5) } }), (e: unknown) => e instanceof FormatError && /feature bank has 5 values, expected 64 x 16/.test((e as Error).message));
    assert.equal(r.fitted, false);
  });
});
