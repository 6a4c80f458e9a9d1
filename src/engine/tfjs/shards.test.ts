import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { defaultEngine, withModel, type Engine, type LossSpec, type ModelSpec, type Weights } from '../engine.js';
import { parseLoopOptions, type LoopOptionsInput } from '../loop.js';
import { parseModelSpec } from '../spec.js';
import { ensureBackend } from './backend.js';
import { macsPerRow, shardLimits, splitBatch } from './shards.js';
import { setEngineThreads, startEngineThreads, threadStats } from './threads.js';

function uniform(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.next();
  return m;
}

const MSE: LossSpec = { kind: 'mse', network: 'main' };
/** Dropout, so the shards' masks (seeded per shard) are part of what must agree. */
const dense = parseModelSpec({
  networks: { main: { input: [10], layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 10 }] } },
});
const lstm = parseModelSpec({ networks: { main: { input: [5, 2], layers: [{ type: 'lstm', units: 4 }, { type: 'dense', units: 2 }] } } });
const normed = parseModelSpec({
  networks: { main: { input: [10], layers: [{ type: 'dense', units: 8 }, { type: 'batchNorm' }, { type: 'dense', units: 10 }] } },
});

let engine: Engine;
let backend: string;
before(async () => {
  engine = await defaultEngine();
  backend = await ensureBackend();
});
after(async () => {
  shardLimits.macs = 8_000_000;
  await setEngineThreads(undefined);
});

/** Trains from seed 0 with `threads` threads (a worker ready beforehand when 2) and returns the weights. */
async function trained(spec: ModelSpec, threads: number, data: { x: Matrix; y?: Matrix }, o: LoopOptionsInput): Promise<Weights> {
  await setEngineThreads(threads);
  await startEngineThreads(backend);
  return withModel(engine, spec, 0, async (h) => {
    await engine.train(h, data, MSE, parseLoopOptions({ seed: 3, ...o }));
    return engine.weights(h);
  });
}

function maxDiff(a: Weights, b: Weights): number {
  let d = 0;
  for (const k of Object.keys(a)) a[k]!.forEach((v, i) => (d = Math.max(d, Math.abs(v - b[k]![i]!))));
  return d;
}

test('a batch is split only when it is large enough and the model allows it', () => {
  const idx = Int32Array.from({ length: 65 }, (_, i) => i);
  const limits = { ...shardLimits };
  try {
    shardLimits.macs = 1000;
    assert.deepEqual(splitBatch(idx, 100).map((s) => s.length), [33, 32]);
    assert.equal(splitBatch(idx, 10).length, 1, 'below the work limit');
    assert.equal(splitBatch(idx.subarray(0, 63), 100).length, 1, 'a shard would have fewer than 32 rows');
    assert.equal(splitBatch(idx, undefined).length, 1, 'model not shardable');
  } finally {
    Object.assign(shardLimits, limits);
  }
  // dense 10-16-10: (10*16+16) + (16*10+10) parameters, each applied once per row.
  assert.equal(macsPerRow(dense), 346);
  // the LSTM runs its (2+4)*16+16 parameters at each of 5 steps.
  assert.equal(macsPerRow(lstm), 112 * 5 + 10);
});

test('a worker thread computing shards trains the same weights, bit for bit, as one thread computing both', async () => {
  shardLimits.macs = 0;
  for (const [name, spec, data] of [
    ['dense with dropout', dense, { x: uniform(300, 10, 1) }],
    ['lstm', lstm, { x: uniform(300, 10, 2), y: uniform(300, 2, 3) }],
  ] as const) {
    const tensors = engine.liveBuffers();
    const alone = await trained(spec, 1, data, { epochs: 2, batchSize: 70 });
    const before = threadStats.workerShards;
    const shared = await trained(spec, 2, data, { epochs: 2, batchSize: 70 });
    assert.ok(threadStats.workerShards > before, `${name}: the worker computed no shard`);
    assert.equal(maxDiff(alone, shared), 0, name);
    assert.equal(engine.liveBuffers(), tensors, `${name}: tensors leaked`);
  }
});

test('the shards combine into the gradient of the whole batch', async () => {
  // One SGD step on 65 rows, split 33 + 32, against the same step unsplit.
  const data = { x: uniform(65, 10, 4), y: uniform(65, 2, 5) };
  const o = { epochs: 1, batchSize: 65, optimizer: 'sgd', learningRate: 0.5 } as const;
  shardLimits.macs = 0;
  const split = await trained(lstm, 2, data, o);
  shardLimits.macs = Number.MAX_SAFE_INTEGER;
  const whole = await trained(lstm, 1, data, o);
  const start = await withModel(engine, lstm, 0, async (h) => engine.weights(h));
  assert.ok(maxDiff(whole, start) > 1e-3, 'the step moved the weights');
  assert.ok(maxDiff(split, whole) < 1e-6, `split vs whole: ${maxDiff(split, whole)}`);
});

test('batch norm keeps its batches whole (its moving statistics are a side effect of the step)', async () => {
  shardLimits.macs = 0;
  const before = threadStats.workerShards;
  await trained(normed, 2, { x: uniform(200, 10, 6) }, { epochs: 1, batchSize: 100 });
  assert.equal(threadStats.workerShards, before);
});
