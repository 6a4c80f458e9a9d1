import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, DataError, FormatError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { defaultEngine, withModel, type Engine, type LossSpec, type ModelSpec } from '../engine.js';
import { parseLoopOptions } from '../loop.js';
import { parseModelSpec } from '../spec.js';

function randn(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const rng = new Rng(seed);
  const m = matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = scale * rng.normal();
  return m;
}

/** Every layer type in one small network: images in, images out. */
const everyLayer: ModelSpec = parseModelSpec({
  networks: {
    main: {
      input: [8, 8, 1],
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, activation: 'relu' },
        { type: 'batchNorm' },
        { type: 'dropout', rate: 0.3 },
        { type: 'reshape', targetShape: [16, 4] },
        { type: 'lstm', units: 6, returnSequences: true },
        { type: 'lstm', units: 8 },
        { type: 'dense', units: 16, activation: 'leakyRelu' },
        { type: 'activation', fn: 'tanh' },
        { type: 'reshape', targetShape: [4, 4, 1] },
        { type: 'conv2dTranspose', filters: 2, kernelSize: 3, strides: 2, activation: 'elu' },
        { type: 'batchNorm', center: false, scale: false },
        { type: 'flatten' },
        { type: 'dense', units: 64, useBias: false },
      ],
    },
  },
});

const vaeSpec: ModelSpec = parseModelSpec({
  networks: {
    encoder: { input: [6], layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 4 }] },
    decoder: { input: [2], layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 6 }] },
  },
});
const vaeLoss: LossSpec = { kind: 'vae-elbo', encoder: 'encoder', decoder: 'decoder', latent: 2, beta: 1, warmupEpochs: 2 };

const linear = (inp: number, out: number, useBias = true): ModelSpec =>
  parseModelSpec({ networks: { main: { input: [inp], layers: [{ type: 'dense', units: out, useBias }] } } });
const MSE: LossSpec = { kind: 'mse', network: 'main' };

let engine: Engine;
before(async () => {
  engine = await defaultEngine();
});

function norm(a: Float32Array, b?: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - (b ? b[i]! : 0)) ** 2;
  return Math.sqrt(s);
}

describe('TF.js engine', () => {
  test('runs on a TF.js backend', () => {
    assert.match(engine.name, /^tfjs-(wasm|cpu|tensorflow)$/);
  });

  test('no tensors leak across build, train, forward, rowLoss, weights and dispose (every layer type)', async () => {
    const x = randn(40, 64, 1);
    const live = engine.liveBuffers();
    await withModel(engine, everyLayer, 1, async (m) => {
      const during = engine.liveBuffers();
      await engine.train(m, { x }, MSE, parseLoopOptions({ epochs: 2, batchSize: 16, validationSplit: 0.25, patience: 1, clipNorm: 1, weightDecay: 1e-4 }));
      assert.equal(engine.liveBuffers(), during, 'training leaves only the weights');
      const out = await engine.forward(m, x, { batchSize: 16 });
      assert.deepEqual([out.rows, out.cols], [40, 64]);
      assert.equal((await engine.rowLoss(m, { x }, MSE, { batchSize: 7 })).length, 40);
      engine.setWeights(m, engine.weights(m));
      assert.equal(engine.liveBuffers(), during);
    });
    await withModel(engine, vaeSpec, 2, async (m) => {
      const v = randn(30, 6, 2);
      await engine.train(m, { x: v }, vaeLoss, parseLoopOptions({ epochs: 2, batchSize: 8 }));
      await engine.rowLoss(m, { x: v }, vaeLoss);
    });
    assert.equal(engine.liveBuffers(), live);
  });

  test('same seed, same initial weights, same training, same outputs', async () => {
    const x = randn(48, 6, 3);
    const run = () =>
      withModel(engine, vaeSpec, 7, async (m) => {
        const w0 = engine.weights(m);
        await engine.train(m, { x }, vaeLoss, parseLoopOptions({ epochs: 3, batchSize: 8, seed: 5 }));
        return { w0, w: engine.weights(m), s: await engine.rowLoss(m, { x }, vaeLoss) };
      });
    const a = await run();
    const b = await run();
    assert.deepEqual(a.w0, b.w0);
    assert.deepEqual(a.w, b.w);
    assert.deepEqual(a.s, b.s);
    assert.notDeepEqual(a.w, a.w0, 'training changed the weights');
    const c = await withModel(engine, vaeSpec, 8, async (m) => engine.weights(m));
    assert.notDeepEqual(c, a.w0, 'another seed, other weights');
  });

  test('weights round-trip: a loaded model computes bit-identical outputs', async () => {
    const x = randn(20, 64, 4);
    const { w, out } = await withModel(engine, everyLayer, 3, async (m) => {
      await engine.train(m, { x }, MSE, parseLoopOptions({ epochs: 1, batchSize: 10 }));
      return { w: engine.weights(m), out: await engine.forward(m, x) };
    });
    const again = await withModel(engine, everyLayer, w, (m) => engine.forward(m, x));
    assert.deepEqual(again, out);
  });

  test('a wide network is scored in smaller passes with the same results', async () => {
    // 64x64x64 floats per row: inference passes of at most 4 rows, whatever the caller asks.
    const wide = parseModelSpec({ networks: { main: { input: [64, 64, 1], layers: [{ type: 'conv2d', filters: 64, kernelSize: 3 }, { type: 'conv2d', filters: 1, kernelSize: 1 }] } } });
    const x = randn(10, 64 * 64, 5);
    const [all, single, losses] = await withModel(engine, wide, 1, async (m) => [
      await engine.forward(m, x),
      await engine.forward(m, x, { batchSize: 1 }),
      await engine.rowLoss(m, { x }, MSE),
    ]);
    assert.equal(all.rows, 10);
    for (let i = 0; i < all.data.length; i++) assert.ok(Math.abs(all.data[i]! - single.data[i]!) < 1e-5);
    for (let r = 0; r < 10; r++) {
      let se = 0;
      for (let j = 0; j < 64 * 64; j++) se += (all.data[r * 4096 + j]! - x.data[r * 4096 + j]!) ** 2;
      assert.ok(Math.abs(losses[r]! - se) < 1e-4 * (1 + se), `row ${r}: squared error summed over the row`);
    }
  });

  test('training fits a toy regression', async () => {
    const x = randn(200, 3, 5);
    const y = matrix(200, 1);
    for (let i = 0; i < 200; i++) y.data[i] = 2 * x.data[i * 3]! - x.data[i * 3 + 1]! + 0.5;
    const h = await withModel(engine, linear(3, 1), 1, (m) =>
      engine.train(m, { x, y }, MSE, parseLoopOptions({ epochs: 40, batchSize: 20, learningRate: 0.05 })),
    );
    assert.ok(h.epochs[h.epochs.length - 1]!.loss < 0.01 * h.epochs[0]!.loss, JSON.stringify(h.epochs.at(-1)));
  });

  test('early stopping: a flat validation loss stops training after `patience` epochs', async () => {
    const x = randn(50, 4, 6);
    const h = await withModel(engine, linear(4, 4), 1, (m) =>
      engine.train(m, { x }, MSE, parseLoopOptions({ epochs: 50, learningRate: 0, validationSplit: 0.2, patience: 2 })),
    );
    assert.equal(h.epochs.length, 3);
    assert.equal(h.stoppedEarly, true);
    assert.ok(h.epochs.every((e) => e.valLoss === h.epochs[0]!.valLoss), 'validation loss was flat');
  });

  test('gradient clipping bounds the update by learningRate x clipNorm', async () => {
    const x = randn(16, 5, 7, 100); // huge inputs, huge gradients
    const step = (clipNorm?: number) =>
      withModel(engine, linear(5, 5, false), 1, async (m) => {
        const w0 = engine.weights(m)['main.0.kernel']!;
        await engine.train(m, { x }, MSE, parseLoopOptions({ epochs: 1, batchSize: 16, optimizer: 'sgd', learningRate: 0.1, clipNorm }));
        return norm(engine.weights(m)['main.0.kernel']!, w0);
      });
    const clipped = await step(1);
    const free = await step(undefined);
    assert.ok(clipped <= 0.1 * 1 * (1 + 1e-5), `update ${clipped} exceeds lr x clipNorm`);
    assert.ok(clipped > 0.09, `a large gradient is clipped to norm 1, not shrunk further (${clipped})`);
    assert.ok(free > 100 * clipped, `without clipping the update is large (${free})`);
  });

  test('weight decay shrinks the weights', async () => {
    const x = randn(32, 4, 8);
    const kernelNorm = (weightDecay: number) =>
      withModel(engine, linear(4, 4), 1, async (m) => {
        await engine.train(m, { x }, MSE, parseLoopOptions({ epochs: 5, batchSize: 8, weightDecay, optimizer: 'sgd', learningRate: 0.05 }));
        return norm(engine.weights(m)['main.0.kernel']!);
      });
    assert.ok((await kernelNorm(5)) < 0.5 * (await kernelNorm(0)));
  });

  test('cancellation rejects with CancelledError and leaks nothing', async () => {
    const x = randn(64, 64, 9);
    const live = engine.liveBuffers();
    const ac = new AbortController();
    let epochs = 0;
    await assert.rejects(
      withModel(engine, everyLayer, 1, (m) =>
        engine.train(m, { x }, MSE, parseLoopOptions({ epochs: 100, batchSize: 8 }), {
          signal: ac.signal,
          onEpoch: () => {
            if (++epochs === 1) ac.abort(new Error('user pressed Ctrl-C'));
          },
        }),
      ),
      (e: unknown) => e instanceof CancelledError && /cancelled in epoch 2 of 100/.test((e as Error).message),
    );
    assert.equal(epochs, 1);
    assert.equal(engine.liveBuffers(), live);
  });

  test('bad weights, bad data and disposed models are reported clearly', async () => {
    const live = engine.liveBuffers();
    assert.throws(() => engine.load(linear(3, 2), { 'main.0.kernel': new Float32Array(5), 'main.0.bias': new Float32Array(2) }), (e: unknown) => e instanceof FormatError && /main.0.kernel/.test((e as Error).message));
    assert.throws(() => engine.load(linear(3, 2), { 'main.0.kernel': new Float32Array(6) }), /lack float32 array 'main.0.bias'/);
    assert.throws(() => engine.load(linear(3, 2), { 'main.0.kernel': new Float32Array(6), 'main.0.bias': new Float32Array(2), x: new Float32Array(1) }), /unexpected x/);
    assert.equal(engine.liveBuffers(), live);
    const m = engine.build(linear(3, 2), 1);
    await assert.rejects(engine.forward(m, randn(2, 4, 1)), DataError);
    await assert.rejects(engine.rowLoss(m, { x: randn(2, 4, 1) }, MSE), /takes 3 values per row, the data has 4/);
    engine.dispose(m);
    engine.dispose(m); // idempotent
    await assert.rejects(engine.forward(m, randn(2, 3, 1)), /disposed/);
    assert.equal(engine.liveBuffers(), live);
  });
});
