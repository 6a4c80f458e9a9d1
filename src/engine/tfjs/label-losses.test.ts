import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { defaultEngine, withModel, type LossSpec } from '../engine.js';
import { parseLoopOptions } from '../loop.js';
import { parseLossSpec, parseModelSpec } from '../spec.js';

// Two features; rows with x0 > 1.5 are the positives (about 7%).
function toy(rows: number, seed: number): { x: ReturnType<typeof matrix>; y: ReturnType<typeof matrix> } {
  const rng = new Rng(seed);
  const x = matrix(rows, 2);
  const y = matrix(rows, 1);
  for (let i = 0; i < rows; i++) {
    x.data[2 * i] = rng.normal();
    x.data[2 * i + 1] = rng.normal();
    y.data[i] = x.data[2 * i]! > 1.5 ? 1 : 0;
  }
  return { x, y };
}

const spec = parseModelSpec({ networks: { main: { input: [2], layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 1 }] } } });

function auc(y: Float64Array, s: Float64Array): number {
  let good = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < y.length; j++)
      if (y[i] === 1 && y[j] === 0) {
        pairs++;
        good += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
  return good / pairs;
}

const losses: LossSpec[] = [
  parseLossSpec({ kind: 'binary-cross-entropy', positiveWeight: 7, negativeWeight: 0.5 }, spec, 2, 1),
  parseLossSpec({ kind: 'binary-cross-entropy', positiveWeight: 0.25, negativeWeight: 0.75, gamma: 2 }, spec, 2, 1),
];

for (const loss of losses) {
  test(`${loss.kind} ${JSON.stringify(loss)} learns a toy labeled problem without leaking tensors`, async () => {
    const engine = await defaultEngine();
    const before = engine.liveBuffers();
    const { x, y } = toy(300, 3);
    const out = await withModel(engine, spec, 1, async (m) => {
      await engine.train(m, { x, y }, loss, parseLoopOptions({ epochs: 80, batchSize: 32, learningRate: 0.01, seed: 2 }));
      const rl = await engine.rowLoss(m, { x, y }, loss);
      assert.ok(rl.every((v) => Number.isFinite(v) && v >= 0));
      return engine.forward(m, x);
    });
    assert.equal(engine.liveBuffers(), before);
    const labels = Float64Array.from(y.data);
    const a = auc(labels, Float64Array.from(out.data));
    assert.ok(a > 0.95, `ROC AUC ${a}`);
  });
}

test('label losses need one network output and one target column', () => {
  assert.throws(() => parseLossSpec({ kind: 'binary-cross-entropy' }, spec, 2, 2), DataError);
  const wide = parseModelSpec({ networks: { main: { input: [2], layers: [{ type: 'dense', units: 3 }] } } });
  assert.throws(() => parseLossSpec({ kind: 'binary-cross-entropy' }, wide, 2, 1), /gives 3 values per row/);
});

test('deviation loss: (1 - y)|dev| + y max(0, margin - dev) with dev = (phi - mean) / sd', async () => {
  const engine = await defaultEngine();
  const loss = parseLossSpec({ kind: 'deviation', referenceMean: 0.1, referenceSd: 0.5, margin: 2 }, spec, 2, 1);
  const { x, y } = toy(40, 5);
  const [phi, rl] = await withModel(engine, spec, 4, async (m) => [await engine.forward(m, x), await engine.rowLoss(m, { x, y }, loss)] as const);
  for (let i = 0; i < x.rows; i++) {
    const dev = (phi.data[i]! - 0.1) / 0.5;
    const want = y.data[i] === 1 ? Math.max(0, 2 - dev) : Math.abs(dev);
    assert.ok(Math.abs(rl[i]! - want) < 1e-5, `row ${i}: ${rl[i]} vs ${want}`);
  }
  assert.throws(() => parseLossSpec({ kind: 'deviation', referenceMean: 0, referenceSd: 0 }, spec, 2, 1), /referenceSd/);
  assert.throws(() => parseLossSpec({ kind: 'deviation', referenceMean: 0, referenceSd: 1 }, spec, 2, 2), DataError);
});

test('deviation loss on balanced batches ranks the labeled class on top, without leaking tensors', async () => {
  const engine = await defaultEngine();
  const before = engine.liveBuffers();
  const { x, y } = toy(300, 3);
  const labels = Uint8Array.from(y.data);
  const loss = parseLossSpec({ kind: 'deviation', referenceMean: 0, referenceSd: 1 }, spec, 2, 1);
  const opts = parseLoopOptions({ epochs: 10, batchSize: 64, sampling: 'balanced', stepsPerEpoch: 10, learningRate: 0.01, seed: 2 });
  const phi = await withModel(engine, spec, 1, async (m) => {
    await engine.train(m, { x, y, labels }, loss, opts);
    return engine.forward(m, x);
  });
  assert.equal(engine.liveBuffers(), before);
  const a = auc(Float64Array.from(y.data), Float64Array.from(phi.data));
  assert.ok(a > 0.95, `ROC AUC ${a}`);
});

// Three classes by the sign pattern of two features: x0 < 0 is class 0, else x1 < 0 class 1, else class 2.
const trunk = { input: [2], layers: [{ type: 'dense' as const, units: 16, activation: 'relu' as const }] };
const headed = parseModelSpec({ networks: { trunk, head: { input: [16], layers: [{ type: 'dense', units: 3 }] } } });

function threeClasses(rows: number, seed: number): { x: ReturnType<typeof matrix>; y: ReturnType<typeof matrix> } {
  const { x } = toy(rows, seed);
  const y = matrix(rows, 1);
  for (let i = 0; i < rows; i++) y.data[i] = x.data[2 * i]! < 0 ? 0 : x.data[2 * i + 1]! < 0 ? 1 : 2;
  return { x, y };
}

test('softmax cross-entropy: per row -log softmax(head(network(x)))[y]; the network alone gives features', async () => {
  const engine = await defaultEngine();
  const loss = parseLossSpec({ kind: 'softmax-cross-entropy', network: 'trunk', head: 'head' }, headed, 2, 1);
  const { x, y } = threeClasses(30, 8);
  const [features, rl, w] = await withModel(engine, headed, 5, async (m) => [await engine.forward(m, x, { network: 'trunk' }), await engine.rowLoss(m, { x, y }, loss), engine.weights(m)] as const);
  assert.equal(features.cols, 16);
  const kernel = w['head.0.kernel']!;
  const bias = w['head.0.bias']!;
  for (let i = 0; i < x.rows; i++) {
    const logits = [0, 1, 2].map((c) => {
      let s = bias[c]!;
      for (let j = 0; j < 16; j++) s += features.data[i * 16 + j]! * kernel[j * 3 + c]!;
      return s;
    });
    const lse = Math.log(logits.reduce((a, l) => a + Math.exp(l), 0));
    const want = lse - logits[y.data[i]!]!;
    assert.ok(Math.abs(rl[i]! - want) < 1e-5, `row ${i}: ${rl[i]} vs ${want}`);
  }
});

test('softmax cross-entropy learns three classes without leaking tensors', async () => {
  const engine = await defaultEngine();
  const before = engine.liveBuffers();
  const loss = parseLossSpec({ kind: 'softmax-cross-entropy', network: 'trunk', head: 'head' }, headed, 2, 1);
  const { x, y } = threeClasses(300, 9);
  const rl = await withModel(engine, headed, 1, async (m) => {
    await engine.train(m, { x, y }, loss, parseLoopOptions({ epochs: 60, batchSize: 32, learningRate: 0.01, seed: 2 }));
    return engine.rowLoss(m, { x, y }, loss);
  });
  assert.equal(engine.liveBuffers(), before);
  // -log p(true class) < log 2 means the true class has p > 1/2: the row is classified right.
  const right = rl.filter((v) => v < Math.LN2).length;
  assert.ok(right / x.rows > 0.95, `${right} of ${x.rows} rows classified right`);
});

test('softmax cross-entropy rejects a one-logit network, a head that does not fit, and targets that are not class indices', async () => {
  assert.throws(() => parseLossSpec({ kind: 'softmax-cross-entropy' }, spec, 2, 1), /at least 2 logits/);
  assert.throws(() => parseLossSpec({ kind: 'softmax-cross-entropy', network: 'trunk', head: 'head' }, headed, 2, 3), DataError);
  const misfit = parseModelSpec({ networks: { trunk, head: { input: [8], layers: [{ type: 'dense', units: 3 }] } } });
  assert.throws(() => parseLossSpec({ kind: 'softmax-cross-entropy', network: 'trunk', head: 'head' }, misfit, 2, 1), /head 'head' input gives 8/);
  const engine = await defaultEngine();
  const loss = parseLossSpec({ kind: 'softmax-cross-entropy', network: 'trunk', head: 'head' }, headed, 2, 1);
  const { x, y } = threeClasses(10, 1);
  for (const bad of [3, 1.5, -1]) {
    y.data[4] = bad;
    await assert.rejects(
      withModel(engine, headed, 1, (m) => engine.rowLoss(m, { x, y }, loss)),
      (e: Error) => e instanceof DataError && /target row 4 is .* not a class index in \[0, 3\)/.test(e.message),
    );
  }
});
