import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../../core/matrix.js';
import type { ModelHandle } from '../engine.js';
import type { Weights } from '../init.js';
import type { LoopOptions, TrainSession } from '../loop.js';
import { adversarialNetworks, type LossSpec } from '../spec.js';
import { discriminatorRows, INFERENCE, objectiveRows, objectiveScale, type LossMode } from './losses.js';
import { asModel, readTrainable, readWeights, writeTrainable, writeWeights, type TfModel } from './model.js';
import { mixSeed } from './network.js';
import { flatGradient, FlatOptimizer } from './optimizer.js';
import { combineShards, macsPerRow, shardGradient, shardMode, splitBatch, splits, type GradientReply, type GradientRequest, type ShardResult } from './shards.js';
import { callWithModel, threadStats, trainingWorker } from './threads.js';

/** Salt for the discriminator step's dropout masks, apart from the generator step's. */
const DISCRIMINATOR_SALT = 3_000_017;

/**
 * The training session the shared loop drives: data held as float32 rows (Rows), one optimizer over every
 * trainable parameter, and batches split into shards, one of them computed by a worker thread
 * (shards.ts). For an adversarial loss, two optimizers: each step first updates the generator
 * (every network but the discriminator's) on its objective, then the discriminator on telling the
 * rows from the generator's output of that same step (held fixed), as Akcay et al.'s reference
 * GANomaly. The reported loss is the generator's objective.
 */
export class Session implements TrainSession {
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
    this.worker = splits(o.batchSize, this.macsPerRow) ? trainingWorker(backend) : undefined;
  }

  async step(idx: Int32Array, epoch: number, seed: number): Promise<void> {
    if (this.discOptimizer) {
      this.adversarialStep(idx, epoch, seed);
      return;
    }
    const shards = splitBatch(idx, this.macsPerRow);
    const remote = shards.length > 1 && this.worker?.pool.isReady(this.worker.lane) ? this.remote(shards[1]!, shardMode(epoch, seed, 1)) : undefined;
    remote?.catch(() => {}); // awaited below; this only keeps a failure while the local shard runs from counting as unhandled
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

  /** Rows `idx` as input and target tensors (the same tensor when the target is the input). Call inside tf.tidy. */
  private batch(idx: Int32Array): [tf.Tensor2D, tf.Tensor2D] {
    const xb = this.x.tensor(idx);
    return [xb, this.y === this.x ? xb : this.y.tensor(idx)];
  }

  private local(idx: Int32Array, mode: LossMode): ShardResult {
    return tf.tidy(() => {
      const [xb, yb] = this.batch(idx);
      return shardGradient(this.model.nets, this.vars, this.loss, this.scale, xb, yb, mode);
    });
  }

  private async remote(idx: Int32Array, mode: LossMode): Promise<Extract<GradientReply, { gradient: Float32Array }>> {
    const { pool, lane } = this.worker!;
    const reply = await callWithModel(pool, lane, this.model, (model) => {
      const req: GradientRequest = {
        kind: 'gradient',
        model,
        trainable: readTrainable(this.model),
        loss: this.loss,
        scale: this.scale,
        mode,
        x: this.x.pick(idx),
        ...(this.y === this.x ? {} : { y: this.y.pick(idx) }),
      };
      return { req, buffers: [req.trainable.buffer, req.x.data.buffer, ...(req.y ? [req.y.data.buffer] : [])] };
    });
    if (!('gradient' in reply)) throw new Error('internal: a worker thread answered a training shard without a gradient');
    threadStats.workerShards++;
    return reply;
  }

  private adversarialStep(idx: Int32Array, epoch: number, seed: number): void {
    const lossSum = tf.tidy(() => {
      const [xb, yb] = this.batch(idx);
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
        const [xb, yb] = this.batch(part);
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
export class Rows {
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

/**
 * A worker thread's side of a training step (worker.ts): sets the trainable weights this thread
 * was sent and returns its shard's gradient.
 */
export function workerShard(h: ModelHandle, req: GradientRequest): GradientReply {
  const model = asModel(h);
  writeTrainable(model, req.trainable);
  const r = tf.tidy(() => {
    const x = tf.tensor2d(req.x.data, [req.x.rows, req.x.cols]);
    const y = req.y ? tf.tensor2d(req.y.data, [req.y.rows, req.y.cols]) : x;
    return shardGradient(model.nets, model.trainable, req.loss, req.scale, x, y, req.mode);
  });
  const out = { gradient: r.gradient.dataSync() as Float32Array, lossSum: r.lossSum.dataSync()[0]! };
  tf.dispose([r.gradient, r.lossSum]);
  return out;
}
