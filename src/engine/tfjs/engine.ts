import * as tf from '@tensorflow/tfjs-core';
import { DataError, OptionsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle, RunOptions, TrainData } from '../engine.js';
import { checkWeights, initialWeights, type Weights } from '../init.js';
import { runLoop, type LoopHooks, type LoopOptions, type TrainHistory, type TrainSession } from '../loop.js';
import { adversarialNetworks, parseLossSpec, parseModelSpec, type LossSpec, type ModelSpec } from '../spec.js';
import { ensureBackend } from './backend.js';
import { discriminatorRows, INFERENCE, objectiveRows, objectiveScale, rowLoss, type LossMode } from './losses.js';
import { checkWeight, mixSeed, TfNetwork, type Param } from './network.js';
import { flatGradient, FlatOptimizer } from './optimizer.js';
import { combineShards, macsPerRow, shardGradient, shardMode, splitBatch, type GradientReply, type GradientRequest, type ShardResult } from './shards.js';
import { forgetModel, scoreRows, startScoringThreads, threadStats, trainingWorker, type ModelRef, type ScoreRequest, type ScoreTask } from './threads.js';

const SCORE_BATCH = 4096;
/** Salt for the discriminator step's dropout masks, apart from the generator step's. */
const DISCRIMINATOR_SALT = 3_000_017;
/**
 * Inference chunks are cut so the widest layer holds at most this many floats (4 MB): one pass over
 * 4000 28x28 images at once grew WASM memory and scored ~1.5x slower than chunks of 256-512
 * (measured on the conv autoencoder); dense networks keep the full SCORE_BATCH.
 */
const ACTIVATION_BUDGET = 1 << 20;

let nextModelId = 0;

class TfModel implements ModelHandle, ModelRef {
  readonly nets = new Map<string, TfNetwork>();
  readonly params: Param[];
  disposed = false;
  /** Identity and weight version, by which scoring threads cache their copy (threads.ts). */
  readonly id = nextModelId++;
  version = 0;

  constructor(
    readonly spec: ModelSpec,
    readonly engine: string,
  ) {
    try {
      for (const [name, net] of Object.entries(spec.networks)) this.nets.set(name, new TfNetwork(name, net));
    } catch (e) {
      this.nets.forEach((n) => n.dispose());
      throw e;
    }
    // Order of modelParams(spec): networks in key order, layers, params.
    this.params = [...this.nets.values()].flatMap((n) => n.params);
    const widest = Math.max(...[...this.nets.values()].map((n) => n.widestRow));
    this.scoreBatch = Math.max(1, Math.min(SCORE_BATCH, Math.floor(ACTIVATION_BUDGET / widest)));
  }

  /** Rows per inference pass (see ACTIVATION_BUDGET). */
  readonly scoreBatch: number;

  /** A caller's inference batch, capped at this model's. */
  inferenceBatch(requested: number | undefined): number {
    return Math.min(requested ?? SCORE_BATCH, this.scoreBatch);
  }

  payload(): { spec: ModelSpec; weights: Weights } {
    return { spec: this.spec, weights: readWeights(this) };
  }

  get trainable(): tf.Variable[] {
    return this.params.filter((p) => p.spec.trainable).map((p) => p.variable);
  }
}

function asModel(h: ModelHandle): TfModel {
  if (!(h instanceof TfModel)) throw new TypeError('this model was built by another engine');
  if (h.disposed) throw new TypeError('this model has been disposed');
  return h;
}

function toTensor(m: Matrix, rows?: Int32Array | [number, number]): tf.Tensor2D {
  if (!rows) return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);
  const [a, b] = rows as [number, number];
  return tf.tensor2d(Float32Array.from(m.data.subarray(a * m.cols, b * m.cols)), [b - a, m.cols]);
}

function checkData(model: TfModel, data: TrainData, loss: LossSpec): { x: Matrix; y: Matrix } {
  const y = data.y ?? data.x;
  if (y.rows !== data.x.rows) throw new DataError(`${data.x.rows} input rows but ${y.rows} target rows`);
  if (data.x.rows === 0) throw new DataError('no rows');
  parseLossSpec(loss, model.spec, data.x.cols, y.cols);
  return { x: data.x, y };
}

/**
 * The training session the shared loop drives: data resident as tensors, one optimizer over every
 * trainable parameter, and batches split into shards, one of them computed by a worker thread
 * (shards.ts). For an adversarial loss, two optimizers: each step first updates the generator
 * (every network but the discriminator's) on its objective, then the discriminator on telling the
 * rows from the generator's output of that same step (held fixed), as Akcay et al.'s reference
 * GANomaly. The reported loss is the generator's objective.
 */
class Session implements TrainSession {
  private readonly optimizer: FlatOptimizer;
  private readonly discOptimizer: FlatOptimizer | undefined;
  private readonly vars: tf.Variable[];
  private readonly discVars: tf.Variable[] = [];
  private lossSum: tf.Scalar | undefined;
  private rowsSeen = 0;
  private readonly scale: number;
  /** Set when batches may be split (shards.ts). */
  private readonly macsPerRow: number | undefined;
  private readonly worker: ReturnType<typeof trainingWorker>;
  /** Whether the worker holds this model (spec and every weight) at its current version. */
  private shipped = false;

  constructor(
    private readonly model: TfModel,
    private readonly x: Rows,
    private readonly y: Rows,
    private readonly loss: LossSpec,
    o: LoopOptions,
    backend: string,
    readonly labels?: Uint8Array,
  ) {
    const clip = o.clipNorm === undefined ? {} : { clipNorm: o.clipNorm };
    const settings = { kind: o.optimizer, learningRate: o.learningRate, weightDecay: o.weightDecay, ...clip };
    const disc = adversarialNetworks(loss);
    if (disc) {
      const own = new Set(disc.flatMap((n) => model.nets.get(n)!.params.map((p) => p.variable)));
      this.discVars = model.trainable.filter((v) => own.has(v));
      this.vars = model.trainable.filter((v) => !own.has(v));
      this.discOptimizer = new FlatOptimizer(this.discVars, settings);
    } else {
      this.vars = model.trainable;
    }
    this.optimizer = new FlatOptimizer(this.vars, settings);
    this.scale = objectiveScale(loss, y.cols);
    this.macsPerRow = !disc && model.params.every((p) => p.spec.trainable) ? macsPerRow(model.spec) : undefined;
    this.worker = splitBatch(new Int32Array(o.batchSize), this.macsPerRow).length > 1 ? trainingWorker(backend) : undefined;
  }

  async step(idx: Int32Array, epoch: number, seed: number): Promise<void> {
    if (this.discOptimizer) {
      this.adversarialStep(idx, epoch, seed);
      return;
    }
    const shards = splitBatch(idx, this.macsPerRow);
    const remote = shards.length > 1 && this.worker?.pool.isReady(this.worker.lane) ? this.remote(shards[1]!, shardMode(epoch, seed, 1)) : undefined;
    const parts = [this.local(shards[0]!, shardMode(epoch, seed, 0))];
    try {
      if (shards.length > 1) parts.push(remote ? fromReply(await remote) : this.local(shards[1]!, shardMode(epoch, seed, 1)));
      this.accumulate(
        tf.tidy(() => {
          const whole = combineShards(parts, shards.map((s) => s.length));
          this.optimizer.apply(whole.gradient);
          return tf.clone(whole.lossSum); // with one shard, that shard's own tensor, disposed below
        }),
        idx.length,
      );
    } finally {
      parts.forEach((p) => tf.dispose([p.gradient, p.lossSum]));
    }
  }

  private local(idx: Int32Array, mode: LossMode): ShardResult {
    return tf.tidy(() => {
      const xb = this.x.tensor(idx);
      const yb = this.y === this.x ? xb : this.y.tensor(idx);
      return shardGradient(this.model.nets, this.vars, this.loss, this.scale, xb, yb, mode);
    });
  }

  private async remote(idx: Int32Array, mode: LossMode): Promise<Extract<GradientReply, { gradient: Float32Array }>> {
    const { pool, lane } = this.worker!;
    const ask = (full: boolean): Promise<GradientReply> => {
      const req: GradientRequest = {
        kind: 'gradient',
        model: full ? { id: this.model.id, version: this.model.version, ...this.model.payload() } : { id: this.model.id, version: this.model.version },
        trainable: flatTrainable(this.vars),
        loss: this.loss,
        scale: this.scale,
        mode,
        x: this.x.pick(idx),
        ...(this.y === this.x ? {} : { y: this.y.pick(idx) }),
      };
      const buffers = [req.trainable.buffer, req.x.data.buffer, ...(req.y ? [req.y.data.buffer] : [])];
      return pool.call(lane, req, buffers as ArrayBuffer[]) as Promise<GradientReply>;
    };
    // Marked before the answer: the worker reads its messages in order.
    const full = !this.shipped;
    this.shipped = true;
    let reply = await ask(full);
    if ('missing' in reply) reply = await ask(true);
    if ('missing' in reply) throw new Error('internal: a worker thread lost the model it was just sent');
    threadStats.workerShards++;
    return reply;
  }

  private adversarialStep(idx: Int32Array, epoch: number, seed: number): void {
    const lossSum = tf.tidy(() => {
      const xb = this.x.tensor(idx);
      const yb = this.y === this.x ? xb : this.y.tensor(idx);
      const mode = { training: true, epoch, seed };
      let dataLoss: tf.Scalar | undefined;
      let fake: tf.Tensor2D | undefined;
      const { grads } = tf.variableGrads(() => {
        const out = objectiveRows(this.model.nets, this.loss, xb, yb, mode);
        fake = tf.keep(out.fake!);
        const l = tf.mul(tf.mean(out.rows), this.scale) as tf.Scalar;
        dataLoss = tf.keep(l);
        return l;
      }, this.vars);
      this.optimizer.apply(flatGradient(this.vars, grads));
      const f = fake!;
      const d = tf.variableGrads(() => {
        const rows = discriminatorRows(this.model.nets, this.loss, xb, f, { ...mode, seed: mixSeed(seed, DISCRIMINATOR_SALT) });
        return tf.mean(rows) as tf.Scalar;
      }, this.discVars);
      this.discOptimizer!.apply(flatGradient(this.discVars, d.grads));
      f.dispose();
      const batchSum = tf.mul(dataLoss!, idx.length) as tf.Scalar;
      dataLoss!.dispose();
      return batchSum;
    });
    this.accumulate(lossSum, idx.length);
  }

  /** Adds a step's summed loss to the epoch's (kept on the device: reading it would wait for the step). */
  private accumulate(batchSum: tf.Scalar, rows: number): void {
    const next = this.lossSum ? (tf.tidy(() => tf.add(this.lossSum!, batchSum)) as tf.Scalar) : batchSum;
    if (next !== batchSum) batchSum.dispose();
    this.lossSum?.dispose();
    this.lossSum = next;
    this.rowsSeen += rows;
  }

  async epochLoss(): Promise<number> {
    if (!this.lossSum) return NaN;
    const [sum] = await this.lossSum.data();
    this.lossSum.dispose();
    this.lossSum = undefined;
    const mean = sum! / this.rowsSeen;
    this.rowsSeen = 0;
    return mean;
  }

  async evaluate(idx: Int32Array): Promise<number> {
    let total = 0;
    const bs = this.model.scoreBatch;
    for (let a = 0; a < idx.length; a += bs) {
      const part = idx.subarray(a, Math.min(a + bs, idx.length));
      const s = tf.tidy(() => {
        const xb = this.x.tensor(part);
        const yb = this.y === this.x ? xb : this.y.tensor(part);
        return tf.sum(objectiveRows(this.model.nets, this.loss, xb, yb, INFERENCE).rows);
      });
      total += (await s.data())[0]!;
      s.dispose();
    }
    return (total / idx.length) * this.scale;
  }

  snapshot(): Weights {
    return readWeights(this.model);
  }

  restore(w: Weights): void {
    writeWeights(this.model, w);
  }

  dispose(): void {
    this.lossSum?.dispose();
    this.optimizer.dispose();
    this.discOptimizer?.dispose();
  }
}

/** A worker's shard result as tensors on this thread. */
function fromReply(r: Extract<GradientReply, { gradient: Float32Array }>): ShardResult {
  return { gradient: tf.tensor1d(r.gradient, 'float32'), lossSum: tf.scalar(r.lossSum, 'float32') };
}

/**
 * Training data as float32 rows (what tensors hold). Batches are copied out in JavaScript and
 * uploaded: on WASM that is ~10x faster than its gather kernel (256 of 40,000 rows of 32: 30 us
 * against 300 us), and the data never occupies WASM memory.
 */
class Rows {
  readonly cols: number;
  private readonly data: Float32Array;

  constructor(m: Matrix) {
    this.cols = m.cols;
    this.data = Float32Array.from(m.data);
  }

  pick(idx: Int32Array): { rows: number; cols: number; data: Float32Array } {
    const c = this.cols;
    const out = new Float32Array(idx.length * c);
    idx.forEach((r, k) => out.set(this.data.subarray(r * c, (r + 1) * c), k * c));
    return { rows: idx.length, cols: c, data: out };
  }

  /** Call inside tf.tidy. */
  tensor(idx: Int32Array): tf.Tensor2D {
    const p = this.pick(idx);
    return tf.tensor2d(p.data, [p.rows, p.cols]);
  }
}

function flatTrainable(vars: readonly tf.Variable[]): Float32Array {
  const out = new Float32Array(vars.reduce((a, v) => a + v.size, 0));
  let at = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, at);
    at += v.size;
  }
  return out;
}

/**
 * A worker thread's side of a training step (worker.ts): sets the trainable weights this thread
 * was sent and returns its shard's gradient.
 */
export function workerShard(h: ModelHandle, req: GradientRequest): GradientReply {
  const model = asModel(h);
  const vars = model.trainable;
  let at = 0;
  for (const v of vars) {
    const t = tf.tensor(req.trainable.subarray(at, at + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    at += v.size;
  }
  const r = tf.tidy(() => {
    const x = tf.tensor2d(req.x.data, [req.x.rows, req.x.cols]);
    const y = req.y ? tf.tensor2d(req.y.data, [req.y.rows, req.y.cols]) : x;
    return shardGradient(model.nets, vars, req.loss, req.scale, x, y, req.mode);
  });
  const out = { gradient: r.gradient.dataSync() as Float32Array, lossSum: r.lossSum.dataSync()[0]! };
  tf.dispose([r.gradient, r.lossSum]);
  return out;
}

function readWeights(m: TfModel): Weights {
  const out: Weights = {};
  for (const p of m.params) out[p.spec.name] = new Float32Array(p.variable.dataSync() as Float32Array);
  return out;
}

function writeWeights(m: TfModel, w: Weights): void {
  m.version++;
  const arrays = m.params.map((p) => checkWeight(p.spec, w[p.spec.name]));
  m.params.forEach((p, i) => {
    const t = tf.tensor(arrays[i]!, p.spec.shape, 'float32');
    p.variable.assign(t);
    t.dispose();
  });
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
  const rows = (m: { cols: number; data: Float64Array }, a: number, b: number): tf.Tensor2D => tf.tensor2d(Float32Array.from(m.data.subarray(a * m.cols, b * m.cols)), [b - a, m.cols]);
  for (let a = 0; a < req.x.rows; a += req.batchSize) {
    const b = Math.min(a + req.batchSize, req.x.rows);
    const t = tf.tidy(() => taskOutput(model, req.task, rows(req.x, a, b), req.y && rows(req.y, a, b)));
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
        const t = tf.tidy(() => taskOutput(model, task, toTensor(x, [a, b]), y && toTensor(y, [a, b])));
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
    if (this.backend !== 'tensorflow') await startScoringThreads(this.backend);
  }
}

/** The TF.js engine on the backend `ensureBackend` picks. */
export async function createTfjsEngine(): Promise<Engine> {
  const backend = await ensureBackend();
  return new TfjsEngine(backend);
}
