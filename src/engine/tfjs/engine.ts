import * as tf from '@tensorflow/tfjs-core';
import { DataError, OptionsError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle, RunOptions, TrainData } from '../engine.js';
import { checkWeights, initialWeights, type Weights } from '../init.js';
import { runLoop, type LoopHooks, type LoopOptions, type TrainHistory, type TrainSession } from '../loop.js';
import { adversarialNetworks, parseLossSpec, parseModelSpec, type LossSpec, type ModelSpec } from '../spec.js';
import { ensureBackend } from './backend.js';
import { discriminatorRows, INFERENCE, objectiveRows, objectiveScale, rowLoss } from './losses.js';
import { checkWeight, mixSeed, TfNetwork, type Param } from './network.js';
import { FlatOptimizer } from './optimizer.js';
import { forgetModel, scoreRows, type ModelRef } from './threads.js';

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
 * trainable parameter, or, for an adversarial loss, two: each step first updates the generator
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

  constructor(
    private readonly model: TfModel,
    private readonly x: tf.Tensor2D,
    private readonly y: tf.Tensor2D,
    private readonly loss: LossSpec,
    private readonly o: LoopOptions,
    readonly labels?: Uint8Array,
  ) {
    const clip = o.clipNorm === undefined ? {} : { clipNorm: o.clipNorm };
    const settings = { kind: o.optimizer, learningRate: o.learningRate, ...clip };
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
    this.scale = objectiveScale(loss, y.shape[1]);
  }

  /** The objective plus the L2 penalty on `vars` (not part of the reported loss). */
  private decayed(l: tf.Scalar, vars: tf.Variable[]): tf.Scalar {
    if (this.o.weightDecay === 0) return l;
    const penalty = tf.addN(vars.map((v) => tf.sum(tf.square(v))));
    return tf.add(l, tf.mul(penalty, this.o.weightDecay / 2)) as tf.Scalar;
  }

  step(idx: Int32Array, epoch: number, seed: number): void {
    const next = tf.tidy(() => {
      const i = tf.tensor1d(idx, 'int32');
      const xb = tf.gather(this.x, i);
      const yb = this.y === this.x ? xb : tf.gather(this.y, i);
      const mode = { training: true, epoch, seed };
      let dataLoss: tf.Scalar | undefined;
      let fake: tf.Tensor2D | undefined;
      const { grads } = tf.variableGrads(() => {
        const out = objectiveRows(this.model.nets, this.loss, xb, yb, mode);
        if (out.fake && this.discOptimizer) fake = tf.keep(out.fake);
        const l = tf.mul(tf.mean(out.rows), this.scale) as tf.Scalar;
        dataLoss = tf.keep(l);
        return this.decayed(l, this.vars);
      }, this.vars);
      this.optimizer.apply(grads);
      if (fake) {
        const f = fake;
        const d = tf.variableGrads(() => {
          const rows = discriminatorRows(this.model.nets, this.loss, xb, f, { ...mode, seed: mixSeed(seed, DISCRIMINATOR_SALT) });
          return this.decayed(tf.mean(rows) as tf.Scalar, this.discVars);
        }, this.discVars);
        this.discOptimizer!.apply(d.grads);
        f.dispose();
      }
      const batchSum = tf.mul(dataLoss!, idx.length);
      dataLoss!.dispose();
      return this.lossSum ? tf.add(this.lossSum, batchSum) : batchSum;
    }) as tf.Scalar;
    this.lossSum?.dispose();
    this.lossSum = next;
    this.rowsSeen += idx.length;
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
        const i = tf.tensor1d(part, 'int32');
        const xb = tf.gather(this.x, i);
        const yb = this.y === this.x ? xb : tf.gather(this.y, i);
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

/** Rows [a, b) of a matrix, copied (to send to a scoring thread). */
function slice(m: Matrix, a: number, b: number): Matrix {
  return matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));
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
    const xs = toTensor(x);
    const ys = y === x ? xs : toTensor(y);
    const session = new Session(model, xs, ys, loss, options, data.labels);
    model.version++;
    try {
      return await runLoop(session, x.rows, options, hooks);
    } finally {
      model.version++;
      session.dispose();
      xs.dispose();
      if (ys !== xs) ys.dispose();
    }
  }

  async forward(h: ModelHandle, x: Matrix, options: RunOptions & { network?: string } = {}): Promise<Matrix> {
    const model = asModel(h);
    const name = options.network ?? Object.keys(model.spec.networks)[0]!;
    const net = model.nets.get(name);
    if (!net) throw new OptionsError(`no network '${name}' (model has: ${[...model.nets.keys()].join(', ')})`);
    if (x.cols !== net.inputSize) throw new DataError(`network '${name}' takes ${net.inputSize} values per row, got ${x.cols}`);
    const out = matrix(x.rows, net.outputSize);
    const batchSize = model.inferenceBatch(options.batchSize);
    await scoreRows(model, this.backend, {
      rows: x.rows,
      batchSize,
      local: async (a, b) => {
        const t = tf.tidy(() => net.apply(toTensor(x, [a, b]), false));
        out.data.set(await t.data(), a * net.outputSize);
        t.dispose();
      },
      remote: (a, b) => ({ task: { kind: 'forward', network: name }, x: slice(x, a, b), batchSize }),
      store: (a, values) => out.data.set(values, a * net.outputSize),
    });
    return out;
  }

  async rowLoss(h: ModelHandle, data: TrainData, loss: LossSpec, options: RunOptions = {}): Promise<Float64Array> {
    const model = asModel(h);
    const { x, y } = checkData(model, data, loss);
    const out = new Float64Array(x.rows);
    const batchSize = model.inferenceBatch(options.batchSize);
    await scoreRows(model, this.backend, {
      rows: x.rows,
      batchSize,
      local: async (a, b) => {
        const t = tf.tidy(() => {
          const xb = toTensor(x, [a, b]);
          return rowLoss(model.nets, loss, xb, y === x ? xb : toTensor(y, [a, b]), INFERENCE);
        });
        out.set(await t.data(), a);
        t.dispose();
      },
      remote: (a, b) => ({ task: { kind: 'rowLoss', loss }, x: slice(x, a, b), ...(y === x ? {} : { y: slice(y, a, b) }), batchSize }),
      store: (a, values) => out.set(values, a),
    });
    return out;
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
}

/** The TF.js engine on the backend `ensureBackend` picks. */
export async function createTfjsEngine(): Promise<Engine> {
  const backend = await ensureBackend();
  return new TfjsEngine(backend);
}
