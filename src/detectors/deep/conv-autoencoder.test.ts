import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { defaultEngine, type Engine } from '../../engine/engine.js';
import type { Detector } from '../detector.js';
import { convAutoencoder, convAutoencoderSpec } from './conv-autoencoder.js';
import { barImages } from '../../testing/synthetic.js';

// No bottleneck: a code this toy's 8 bar positions all fit through (the bottleneck is tested apart below).
const opts = { height: 8, width: 8, channels: 1, filters: [4, 8], latent: 0, epochs: 30, batchSize: 16, learningRate: 0.01 };
const X = barImages(64, 4);

describe('conv-autoencoder', () => {
  let engine: Engine;
  let a: Detector;
  let live = 0;
  let liveAfterFit = 0;
  before(async () => {
    engine = await defaultEngine();
    live = engine.liveBuffers();
    a = convAutoencoder({ ...opts, seed: 2 });
    await a.fit(X);
    liveAfterFit = engine.liveBuffers();
  });

  test('vertical bars rank above horizontal ones; no tensors leak', async () => {
    assert.equal(liveAfterFit, live);
    const s = await a.score(X);
    assert.equal(engine.liveBuffers(), live);
    assert.ok(s.every(Number.isFinite));
    const top = [...s.keys()].sort((i, j) => s[j]! - s[i]!).slice(0, 4);
    assert.deepEqual(top.sort((i, j) => i - j), [60, 61, 62, 63], `scores ${Array.from(s, (v) => v.toFixed(2)).join(' ')}`);
  });

  test('explain gives per-pixel squared errors summing to the score', async () => {
    const s = await a.score(X);
    const e = await a.explain!(X);
    assert.equal(e.cols, 64);
    for (let i = 0; i < X.rows; i++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum += e.data[i * 64 + k]!;
      assert.ok(Math.abs(sum - s[i]!) < 1e-3 * Math.max(1, s[i]!));
    }
  });
});

describe('conv-autoencoder bottleneck', () => {
  test('latent puts flatten, a linear code and a dense layer back to the last feature map between encoder and decoder', () => {
    const spec = convAutoencoderSpec({ height: 8, width: 8, channels: 1, filters: [4, 8], kernelSize: 3, latent: 5 });
    const layers = spec.networks['main']!.layers.map((l) => (l.type === 'dense' ? `dense ${l.units} ${l.activation}` : l.type));
    assert.deepEqual(layers, ['conv2d', 'conv2d', 'flatten', 'dense 5 linear', 'dense 32 relu', 'reshape', 'conv2dTranspose', 'conv2dTranspose']);
    const none = convAutoencoderSpec({ height: 8, width: 8, channels: 1, filters: [4, 8], kernelSize: 3, latent: 0 });
    assert.deepEqual(none.networks['main']!.layers.map((l) => l.type), ['conv2d', 'conv2d', 'conv2dTranspose', 'conv2dTranspose']);
  });
});
