import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { defaultEngine, type Engine, type LossSpec, type ModelSpec } from '../engine.js';
import { parseLoopOptions } from '../loop.js';
import { parseModelSpec } from '../spec.js';
import { ensureBackend } from './backend.js';
import { closeEngineThreads, parallelLimits, scoreRows, engineThreads, setEngineThreads, startEngineThreads, threadStats } from './threads.js';

function uniform(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.next();
  return m;
}

const ROWS = 1100; // above parallelLimits.rows, and not a multiple of any chunk size
const MSE: LossSpec = { kind: 'mse', network: 'main' };

const dense = parseModelSpec({
  networks: { main: { input: [12], layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 4 }, { type: 'dense', units: 12 }] } },
});
const conv = parseModelSpec({
  networks: {
    main: {
      input: [8, 8, 1],
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, activation: 'relu' },
        { type: 'conv2dTranspose', filters: 1, kernelSize: 3, strides: 2 },
        { type: 'flatten' },
      ],
    },
  },
});
const lstm = parseModelSpec({ networks: { main: { input: [6, 3], layers: [{ type: 'lstm', units: 5 }, { type: 'dense', units: 3 }] } } });
const cases: { name: string; spec: ModelSpec; cols: number; yCols?: number }[] = [
  { name: 'dense', spec: dense, cols: 12 },
  { name: 'conv', spec: conv, cols: 64 },
  { name: 'lstm', spec: lstm, cols: 18, yCols: 3 },
];

let engine: Engine;
let backend: string;
before(async () => {
  engine = await defaultEngine();
  backend = await ensureBackend();
  parallelLimits.millis = 0; // split even these small networks
});
after(async () => {
  parallelLimits.millis = 20;
  await setEngineThreads(undefined);
});

/** forward and rowLoss with `threads` threads (workers ready beforehand, so they take part). */
async function run(threads: number, h: ReturnType<Engine['build']>, x: Matrix, y?: Matrix): Promise<{ out: Matrix; loss: Float64Array }> {
  await setEngineThreads(threads);
  await startEngineThreads(backend);
  const out = await engine.forward(h, x);
  const loss = await engine.rowLoss(h, y ? { x, y } : { x }, MSE, { batchSize: 100 });
  return { out, loss };
}

for (const c of cases) {
  test(`${c.name}: scoring split across two threads is bit-identical to one thread and leaks nothing`, async () => {
    const h = engine.build(c.spec, 3);
    try {
      const x = uniform(ROWS, c.cols, 1);
      const y = c.yCols ? uniform(ROWS, c.yCols, 2) : undefined;
      const one = await run(1, h, x, y);
      const live = engine.liveBuffers();
      const rowsBefore = threadStats.workerRows;
      const two = await run(2, h, x, y);
      assert.ok(threadStats.workerRows > rowsBefore, 'the worker scored no rows');
      assert.deepEqual(two.out.data, one.out.data);
      assert.deepEqual(two.loss, one.loss);
      assert.equal(engine.liveBuffers(), live);
    } finally {
      engine.dispose(h);
    }
  });
}

/** The single-thread answer, without stopping the workers (which would drop their copies). */
async function alone(h: ReturnType<Engine['build']>, x: Matrix): Promise<Float64Array> {
  const rows = parallelLimits.rows;
  parallelLimits.rows = Infinity;
  try {
    return (await engine.forward(h, x)).data;
  } finally {
    parallelLimits.rows = rows;
  }
}

test('workers keep the weights per model version: sent once, sent again after setWeights and train', async () => {
  await setEngineThreads(2);
  await startEngineThreads(backend);
  const h = engine.build(dense, 5);
  try {
    const x = uniform(ROWS, 12, 7);
    const sentBefore = threadStats.modelsSent;
    const first = await engine.forward(h, x);
    await engine.forward(h, x);
    assert.equal(threadStats.modelsSent - sentBefore, 1, 'weights went out again for the same version');

    const w = engine.weights(h);
    for (const v of Object.values(w)) v.fill(0.01);
    engine.setWeights(h, w);
    const changed = await engine.forward(h, x);
    assert.equal(threadStats.modelsSent - sentBefore, 2);
    assert.notDeepEqual(changed.data, first.data);
    assert.deepEqual(changed.data, await alone(h, x), 'the worker scored with stale weights');

    await engine.train(h, { x }, MSE, parseLoopOptions({ epochs: 1, batchSize: 256, seed: 1 }));
    const trained = await engine.forward(h, x);
    assert.equal(threadStats.modelsSent - sentBefore, 3);
    assert.deepEqual(trained.data, await alone(h, x));
  } finally {
    engine.dispose(h);
  }
});

test('an error inside a scoring thread rejects the call with a clear error instead of hanging', async () => {
  await setEngineThreads(2);
  await startEngineThreads(backend);
  // A model whose weights the worker cannot load (one parameter missing).
  const broken = { id: -1, version: 0, payload: () => ({ spec: dense, weights: {} }) };
  const job = {
    rows: ROWS,
    batchSize: 64,
    local: async () => undefined,
    remote: (a: number, b: number) => ({ task: { kind: 'forward' as const, network: 'main' }, x: uniform(b - a, 12, a), batchSize: 64 }),
    store: () => undefined,
  };
  await assert.rejects(scoreRows(broken, backend, job), /worker thread: .*weights/);
});

test('small calls stay on this thread', async () => {
  await setEngineThreads(2);
  await startEngineThreads(backend);
  const h = engine.build(dense, 1);
  try {
    const before = threadStats.workerRows;
    await engine.forward(h, uniform(parallelLimits.rows - 1, 12, 3));
    assert.equal(threadStats.workerRows, before);
  } finally {
    engine.dispose(h);
  }
});

test('VIGIL_THREADS sets the thread count and is validated', async () => {
  await setEngineThreads(undefined);
  const saved = process.env['VIGIL_THREADS'];
  try {
    process.env['VIGIL_THREADS'] = '1';
    assert.equal(engineThreads(), 1);
    process.env['VIGIL_THREADS'] = 'two';
    assert.throws(() => engineThreads(), OptionsError);
    delete process.env['VIGIL_THREADS'];
    assert.ok(engineThreads() >= 1 && engineThreads() <= 2);
  } finally {
    if (saved === undefined) delete process.env['VIGIL_THREADS'];
    else process.env['VIGIL_THREADS'] = saved;
    await closeEngineThreads();
  }
});

test('engine.prepare() starts the workers, so the first large call already shares its rows', async () => {
  await setEngineThreads(2); // stops the running workers
  await engine.prepare();
  const before = threadStats.workerRows;
  const h = engine.build(dense, 0);
  try {
    await engine.forward(h, uniform(ROWS, 12, 9));
  } finally {
    engine.dispose(h);
  }
  assert.ok(threadStats.workerRows > before, 'no row was scored by a worker');
});
