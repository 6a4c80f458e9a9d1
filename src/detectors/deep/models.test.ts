import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { rocAuc } from '../../evaluate/metrics.js';
import { defaultEngine, withModel } from '../../engine/engine.js';
import { modelParams } from '../../engine/spec.js';
import { plantedOutliers, barImages } from '../../testing/synthetic.js';
import { autoencoder, autoencoderSpec } from './autoencoder.js';
import { deepSvdd, svddAutoencoderSpec, svddCenter, svddSpec } from './deep-svdd.js';
import { vae, vaeSpec } from './vae.js';
import { standardize } from '../../core/linalg.js';

const { X } = plantedOutliers({ rows: 120, cols: 4, outliers: 5, seed: 9 });

describe('autoencoder', () => {
  test('is PyOD-shaped: D-64-32-64-D, each hidden layer dense, batch norm, ReLU, dropout', () => {
    const spec = autoencoderSpec(7, { hiddenSizes: [64, 32], activation: 'relu', dropout: 0.2, batchNorm: true });
    const layers = spec.networks['main']!.layers;
    assert.deepEqual(
      layers.filter((l) => l.type === 'dense').map((l) => (l.type === 'dense' ? l.units : 0)),
      [64, 32, 64, 7],
    );
    assert.deepEqual(
      layers.slice(0, 4).map((l) => l.type),
      ['dense', 'batchNorm', 'activation', 'dropout'],
    );
  });

  test('explain gives the squared error per feature; rows sum to the score', async () => {
    const d = autoencoder({ epochs: 2, seed: 1 });
    await d.fit(X);
    const [s, e] = [await d.score(X), await d.explain!(X)];
    for (let i = 0; i < X.rows; i++) {
      let sum = 0;
      for (let j = 0; j < X.cols; j++) sum += e.data[i * X.cols + j]!;
      assert.ok(Math.abs(sum - s[i]!) <= 1e-4 * Math.max(1, s[i]!), `row ${i}: ${sum} vs ${s[i]}`);
    }
  });
});

describe('vae', () => {
  test('score = 0.5 * ||x - decoder(mu)||^2 + KL(N(mu, exp(logVar)) || N(0, I)), deterministic', async () => {
    const d = vae({ epochs: 2, latent: 3, seed: 2 });
    await d.fit(X);
    const s = await d.score(X);
    assert.deepEqual(await d.score(X), s, 'scoring draws no noise');
    const st = d.getState();
    const engine = await defaultEngine();
    const spec = vaeSpec(4, { hiddenSizes: [64, 32], latent: 3, activation: 'relu', dropout: 0.2, batchNorm: true });
    const weights = Object.fromEntries(Object.entries(st.arrays).filter(([k]) => k.startsWith('w:')).map(([k, v]) => [k.slice(2), v as Float32Array]));
    const x = standardize(X, { mean: st.arrays['scale.mean'] as Float64Array, sd: st.arrays['scale.sd'] as Float64Array });
    const { enc, rec } = await withModel(engine, spec, weights, async (m) => {
      const enc = await engine.forward(m, x, { network: 'encoder' });
      const mu = matrix(x.rows, 3);
      for (let i = 0; i < x.rows; i++) for (let j = 0; j < 3; j++) mu.data[i * 3 + j] = enc.data[i * 6 + j]!;
      return { enc, rec: await engine.forward(m, mu, { network: 'decoder' }) };
    });
    for (let i = 0; i < x.rows; i++) {
      let r = 0;
      for (let j = 0; j < 4; j++) r += 0.5 * (x.data[i * 4 + j]! - rec.data[i * 4 + j]!) ** 2;
      let kl = 0;
      for (let j = 0; j < 3; j++) {
        const mu = enc.data[i * 6 + j]!;
        const lv = enc.data[i * 6 + 3 + j]!;
        kl += 0.5 * (mu * mu + Math.exp(lv) - lv - 1);
      }
      assert.ok(Math.abs(r + kl - s[i]!) <= 1e-4 * Math.max(1, s[i]!), `row ${i}: ${r + kl} vs ${s[i]}`);
    }
  });

  test('a row far outside the training range scores finite and on top (the log-variance is bounded)', async () => {
    const d = vae({ epochs: 2, latent: 3, seed: 2 });
    await d.fit(X);
    const far = matrix(1, X.cols, new Float64Array(X.cols).fill(1e5));
    const [s] = await d.score(far);
    assert.ok(Number.isFinite(s), `score ${s}`);
    assert.ok(s! > Math.max(...(await d.score(X))));
  });

  test('KL warm-up can be switched off and beta scales the KL term', async () => {
    const a = vae({ epochs: 2, warmupEpochs: 0, beta: 0.5, seed: 1 });
    await a.fit(X);
    assert.ok((await a.score(X)).every(Number.isFinite));
    assert.deepEqual(a.getState().params['loss'], { kind: 'vae-elbo', encoder: 'encoder', decoder: 'decoder', latent: 8, beta: 0.5, warmupEpochs: 0 });
  });
});

describe('deep-svdd', () => {
  test('the network has no bias anywhere (no dense bias, no batch-norm shift)', () => {
    const spec = svddSpec(6, { hiddenSizes: [16, 8], activation: 'leakyRelu', dropout: 0, batchNorm: true });
    const names = modelParams(spec).map((p) => p.name.split('.').pop());
    assert.deepEqual([...new Set(names)].sort(), ['kernel', 'movingMean', 'movingVariance']);
  });

  test('center: the mean output, with coordinates near zero pushed to +-eps', () => {
    const out = matrix(2, 4, Float64Array.from([1, 0.05, -0.02, 0, 3, -0.05, -0.06, 0]));
    assert.deepEqual(svddCenter(out, 0.1), [2, 0.1, -0.1, 0.1]);
  });

  test('score is the squared distance of the output to the saved center', async () => {
    const d = deepSvdd({ epochs: 2, seed: 3 });
    await d.fit(X);
    const st = d.getState();
    const loss = st.params['loss'] as { center: number[] };
    assert.equal(loss.center.length, 32);
    assert.ok(loss.center.every((c) => Math.abs(c) >= 0.1));
    const engine = await defaultEngine();
    const weights = Object.fromEntries(Object.entries(st.arrays).filter(([k]) => k.startsWith('w:')).map(([k, v]) => [k.slice(2), v as Float32Array]));
    const x = standardize(X, { mean: st.arrays['scale.mean'] as Float64Array, sd: st.arrays['scale.sd'] as Float64Array });
    const spec = svddSpec(4, { hiddenSizes: [64, 32], activation: 'leakyRelu', dropout: 0, batchNorm: false });
    const out = await withModel(engine, spec, weights, (m) => engine.forward(m, x));
    const s = await d.score(X);
    for (let i = 0; i < x.rows; i++) {
      let dist = 0;
      for (let j = 0; j < 32; j++) dist += (out.data[i * 32 + j]! - loss.center[j]!) ** 2;
      assert.ok(Math.abs(dist - s[i]!) <= 1e-4 * Math.max(1, s[i]!));
    }
  });
});

describe('deep-svdd on images', () => {
  const image = { height: 8, width: 8, filters: [4, 8], kernelSize: 3, hiddenSizes: [8], epochs: 15, batchSize: 16, learningRate: 0.01 };

  test('bias-free conv blocks with shift-free batch norm, then the dense output', () => {
    const spec = svddSpec(64, { hiddenSizes: [8], activation: 'leakyRelu', dropout: 0, batchNorm: true }, { height: 8, width: 8, channels: 1, filters: [4, 8], kernelSize: 3 });
    const kernels = modelParams(spec).filter((p) => p.name.endsWith('kernel')).map((p) => `${p.name} [${p.shape}]`);
    assert.deepEqual(kernels, ['main.0.kernel [3,3,1,4]', 'main.3.kernel [3,3,4,8]', 'main.7.kernel [32,8]']);
    const names = modelParams(spec).map((p) => p.name.split('.').pop());
    assert.deepEqual([...new Set(names)].sort(), ['kernel', 'movingMean', 'movingVariance']);
  });

  test('vertical bars score above horizontal ones; rows of the wrong width are a DataError', async () => {
    const B = barImages(64, 4);
    const d = deepSvdd({ ...image, seed: 1 });
    await d.fit(B);
    const y = Uint8Array.from({ length: 64 }, (_, i) => (i >= 60 ? 1 : 0));
    assert.ok(rocAuc(y, await d.score(B)) > 0.9);
    await assert.rejects(deepSvdd({ ...image }).fit(matrix(4, 63)), DataError);
    assert.throws(() => deepSvdd({ height: 8 }), OptionsError);
  });

  test('pretraining: the autoencoder starts with the network itself (same parameter names and shapes) and is bias-free', () => {
    const o = { hiddenSizes: [8], activation: 'leakyRelu' as const, dropout: 0, batchNorm: true };
    const im = { height: 8, width: 8, channels: 1, filters: [4, 8], kernelSize: 3 };
    for (const [features, image] of [[64, im], [6, undefined]] as const) {
      const net = modelParams(svddSpec(features, o, image));
      const ae = modelParams(svddAutoencoderSpec(features, o, image));
      assert.deepEqual(ae.slice(0, net.length), net);
      assert.ok(ae.length > net.length);
      assert.ok(ae.every((p) => !p.name.endsWith('bias') && !p.name.endsWith('beta')));
    }
    assert.throws(() => svddAutoencoderSpec(36, o, { ...im, height: 6, width: 6 }), /divisible by 4/);
  });

  test('pretraining moves the starting weights and the pretrained model still ranks the odd bars on top', async () => {
    const B = barImages(64, 4);
    const y = Uint8Array.from({ length: 64 }, (_, i) => (i >= 60 ? 1 : 0));
    const plain = deepSvdd({ ...image, epochs: 1, seed: 1 });
    const pre = deepSvdd({ ...image, epochs: 1, pretrainEpochs: 5, seed: 1 });
    await plain.fit(B);
    await pre.fit(B);
    const [a, b] = [plain.getState().arrays['w:main.0.kernel'] as Float32Array, pre.getState().arrays['w:main.0.kernel'] as Float32Array];
    assert.ok(a.some((v, i) => v !== b[i]), 'pretraining left the weights as they were');
    const full = deepSvdd({ ...image, pretrainEpochs: 5, seed: 1 });
    await full.fit(B);
    assert.ok(rocAuc(y, await full.score(B)) > 0.9);
  });
});
