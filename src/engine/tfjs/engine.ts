import * as tf from '@tensorflow/tfjs-core';
import { DataError, OptionsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle, RunOptions, TrainData } from '../engine.js';
import { checkWeights, initialWeights, type Weights } from '../init.js';
import { runLoop, type LoopHooks, type LoopOptions, type TrainHistory } from '../loop.js';
import { checkLossTarget, parseLossSpec, parseModelSpec, type LossSpec, type ModelSpec } from '../spec.js';
import { ensureBackend } from './backend.js';
import { INFERENCE, rowLoss } from './losses.js';
import { asModel, readWeights, TfModel, writeWeights } from './model.js';
import { Rows, Session } from './session.js';
import { forgetModel, scoreRows, startEngineThreads, type ScoreRequest, type ScoreTask } from './threads.js';

/** Rows [a, b) of a matrix as a float32 tensor. */
function toTensor(m: Matrix, a: number, b: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data.subarray(a * m.cols, b * m.cols)), [b - a, m.cols]);
}

function checkData(model: TfModel, data: TrainData, loss: LossSpec): { x: Matrix; y: Matrix } {
  const y = data.y ?? data.x;
  if (y.rows !== data.x.rows) throw new DataError(`${data.x.rows} input rows but ${y.rows} target rows`);
  if (data.x.rows === 0) throw new DataError('no rows');
  parseLossSpec(loss, model.spec, data.x.cols, y.cols);
  checkLossTarget(loss, model.spec, y);
  return { x: data.x, y };
}

/** Rows [a, b) of a matrix, copied (to send to a worker thread). */
function slice(m: Matrix, a: number, b: number): { rows: number; cols: number; data: Float64Array } {
  return { rows: b - a, cols: m.cols, data: m.data.slice(a * m.cols, b * m.cols) };
}

/** Values per row of a scoring task's output. */
function taskWidth(model: TfModel, task: ScoreTask): number {
  return task.kind === 'forward' ? model.nets.get(task.network)!.outputSize : 1;
}

/** What a chunk of a scoring task computes, on this thread or a worker's (rowLoss: y undefined = x). Call inside tf.tidy. */
function taskOutput(model: TfModel, task: ScoreTask, x: tf.Tensor2D, y: tf.Tensor2D | undefined): tf.Tensor {
  return task.kind === 'forward' ? model.nets.get(task.network)!.apply(x, false) : rowLoss(model.nets, task.loss, x, y ?? x, INFERENCE);
}

/** A worker thread's side of a large forward or rowLoss call (worker.ts), in the same batches and kernels as this thread's. */
export function workerScore(h: ModelHandle, req: ScoreRequest): Float32Array {
  const model = asModel(h);
  const width = taskWidth(model, req.task);
  const out = new Float32Array(req.x.rows * width);
  for (let a = 0; a < req.x.rows; a += req.batchSize) {
    const b = Math.min(a + req.batchSize, req.x.rows);
    const t = tf.tidy(() => taskOutput(model, req.task, toTensor(req.x, a, b), req.y && toTensor(req.y, a, b)));
    out.set(t.dataSync() as Float32Array, a * width);
    t.dispose();
  }
  return out;
}

class TfjsEngine implements Engine {
  readonly name: string;

  constructor(private readonly backend: string) {
    this.name = `tfjs-${backend}`;
  }

  build(spec: ModelSpec, seed: number): ModelHandle {
    const s = parseModelSpec(spec);
    return this.load(s, initialWeights(s, seed));
  }

  load(spec: ModelSpec, weights: Weights): ModelHandle {
    const s = parseModelSpec(spec);
    checkWeights(s, weights);
    const m = new TfModel(s, this.name);
    try {
      writeWeights(m, weights);
    } catch (e) {
      this.dispose(m);
      throw e;
    }
    return m;
  }

  async train(h: ModelHandle, data: TrainData, loss: LossSpec, options: LoopOptions, hooks?: LoopHooks): Promise<TrainHistory> {
    const model = asModel(h);
    const { x, y } = checkData(model, data, loss);
    const xs = new Rows(x);
    const session = new Session(model, xs, y === x ? xs : new Rows(y), loss, options, this.backend, data.labels);
    model.version++;
    try {
      return await runLoop(session, x.rows, options, hooks);
    } finally {
      model.version++;
      session.dispose();
    }
  }

  async forward(h: ModelHandle, x: Matrix, options: RunOptions & { network?: string } = {}): Promise<Matrix> {
    const model = asModel(h);
    const name = options.network ?? Object.keys(model.spec.networks)[0]!;
    const net = model.nets.get(name);
    if (!net) throw new OptionsError(`no network '${name}' (model has: ${[...model.nets.keys()].join(', ')})`);
    if (x.cols !== net.inputSize) throw new DataError(`network '${name}' takes ${net.inputSize} values per row, got ${x.cols}`);
    const out = matrix(x.rows, net.outputSize);
    await this.score(model, { kind: 'forward', network: name }, x, undefined, options, out.data);
    return out;
  }

  async rowLoss(h: ModelHandle, data: TrainData, loss: LossSpec, options: RunOptions = {}): Promise<Float64Array> {
    const model = asModel(h);
    const { x, y } = checkData(model, data, loss);
    const out = new Float64Array(x.rows);
    await this.score(model, { kind: 'rowLoss', loss }, x, y === x ? undefined : y, options, out);
    return out;
  }

  /** Fills `out` (`width(task)` values per row) with a task's output, on this thread or split with worker threads. */
  private async score(model: TfModel, task: ScoreTask, x: Matrix, y: Matrix | undefined, options: RunOptions, out: Float64Array): Promise<void> {
    const width = taskWidth(model, task);
    const batchSize = model.inferenceBatch(options.batchSize);
    await scoreRows(model, this.backend, {
      rows: x.rows,
      batchSize,
      local: async (a, b) => {
        const t = tf.tidy(() => taskOutput(model, task, toTensor(x, a, b), y && toTensor(y, a, b)));
        out.set(t.dataSync(), a * width);
        t.dispose();
      },
      remote: (a, b) => ({ task, x: slice(x, a, b), ...(y ? { y: slice(y, a, b) } : {}), batchSize }),
      store: (a, values) => out.set(values, a * width),
    });
  }

  weights(h: ModelHandle): Weights {
    return readWeights(asModel(h));
  }

  setWeights(h: ModelHandle, w: Weights): void {
    writeWeights(asModel(h), w);
  }

  dispose(h: ModelHandle): void {
    if (!(h instanceof TfModel) || h.disposed) return;
    h.disposed = true;
    h.nets.forEach((n) => n.dispose());
    forgetModel(h.id);
  }

  liveBuffers(): number {
    return tf.memory().numTensors;
  }

  async prepare(): Promise<void> {
    if (this.backend !== 'tensorflow') await startEngineThreads(this.backend);
  }
}

/** The TF.js engine on the backend `ensureBackend` picks. */
export async function createTfjsEngine(): Promise<Engine> {
  const backend = await ensureBackend();
  return new TfjsEngine(backend);
}
