import * as tf from '@tensorflow/tfjs-core';
import type { Weights } from '../init.js';
import { networkShapes, size, type LossSpec, type ModelSpec } from '../spec.js';
import { objectiveRows, type LossMode } from './losses.js';
import { flatGradient } from './optimizer.js';
import { mixSeed, type TfNetwork } from './network.js';

/**
 * Data-parallel training steps. TF.js's wasm backend runs on one thread in Node, so a training
 * step uses one core unless its batch is split: a large enough batch (shardLimits) is cut into two
 * shards, each shard's gradient is computed on its own, and the step applies their
 * row-weighted mean. A worker thread computes the second shard while this thread computes the
 * first; when no worker is running (one core, inside a worker thread, a worker still starting,
 * native TensorFlow) this thread computes both. The shards, their dropout seeds and the sum are
 * the same either way, and a shard's kernels give the same bits on any thread, so a seed trains
 * the same model with or without workers.
 *
 * Not split: models whose training step has effects outside the gradient (batch-norm moving
 * statistics, which only this thread's copy would see) and adversarial losses (two players, the
 * second one's step reads the first one's output).
 */
/**
 * When a batch is split: each shard gets at least `rows` rows, and the batch's forward pass has at
 * least `macs` multiply-adds (estimated, macsPerRow). Below that a step's time goes to
 * per-operation overhead, which both threads would pay in full: the speed bench's dense
 * autoencoder (~1.6M per batch of 256) trained no faster on two threads, its LSTM forecaster
 * (~21M per batch of 128) 1.5x faster. Mutable for tests.
 */
export const shardLimits = { rows: 32, macs: 8_000_000 };
/** Salt for the second shard's dropout masks and noise, apart from the first shard's. */
const SHARD_SALT = 7_000_003;

/**
 * Multiply-adds per row, roughly: each layer's parameters times the positions (pixels, steps) it
 * is applied at, the larger of its input's and its output's count. Only compared with shardLimits.macs.
 */
export function macsPerRow(spec: ModelSpec): number {
  let total = 0;
  for (const [name, net] of Object.entries(spec.networks)) {
    for (const l of networkShapes(name, net)) {
      const positions = (shape: number[]): number => size(shape) / (shape[shape.length - 1] ?? 1);
      total += l.params.reduce((a, p) => a + size(p.shape), 0) * Math.max(positions(l.input), positions(l.output));
    }
  }
  return total;
}

/** Whether a batch of `rows` rows is split (macsPerRow undefined: the model's batches never are). */
export function splits(rows: number, macsPerRow: number | undefined): boolean {
  return macsPerRow !== undefined && rows >= 2 * shardLimits.rows && rows * macsPerRow >= shardLimits.macs;
}

/** The shards of a batch: the batch itself, or its first and second half. */
export function splitBatch(idx: Int32Array, macsPerRow: number | undefined): Int32Array[] {
  if (!splits(idx.length, macsPerRow)) return [idx];
  const half = Math.ceil(idx.length / 2);
  return [idx.subarray(0, half), idx.subarray(half)];
}

/** Training mode of shard `k` of a step. */
export function shardMode(epoch: number, seed: number, k: number): LossMode {
  return { training: true, epoch, seed: k === 0 ? seed : mixSeed(seed, SHARD_SALT + k) };
}

/** One shard's share of a step: the gradient of its mean objective, and its summed data loss. */
export type ShardResult = {
  gradient: tf.Tensor1D;
  lossSum: tf.Scalar;
};

/**
 * The gradient over `vars` (flattened, flatGradient order) of mean(objective rows) * scale on one
 * shard, and that objective times the shard's rows. Weight decay is the optimizer's. Call inside tf.tidy.
 */
export function shardGradient(
  nets: ReadonlyMap<string, TfNetwork>,
  vars: tf.Variable[],
  loss: LossSpec,
  scale: number,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  mode: LossMode,
): ShardResult {
  let lossSum: tf.Scalar | undefined;
  const { grads } = tf.variableGrads(() => {
    const l = tf.mul(tf.mean(objectiveRows(nets, loss, x, y, mode).rows), scale) as tf.Scalar;
    lossSum = tf.keep(tf.mul(l, x.shape[0]) as tf.Scalar);
    return l;
  }, vars);
  return { gradient: flatGradient(vars, grads), lossSum: lossSum! };
}

/** Combines the shards of one step into the gradient of the whole batch's mean objective. Call inside tf.tidy. */
export function combineShards(parts: readonly ShardResult[], rows: readonly number[]): ShardResult {
  if (parts.length === 1) return parts[0]!;
  const n = rows.reduce((a, b) => a + b, 0);
  const weighted = parts.map((p, k) => tf.mul(p.gradient, rows[k]!));
  return { gradient: tf.div(tf.addN(weighted), n), lossSum: tf.addN(parts.map((p) => p.lossSum)) as tf.Scalar };
}

/** A worker thread's shard: the model (sent in full once per training run), the trainable weights of this step, the rows. */
export interface GradientRequest {
  kind: 'gradient';
  model: { id: number; version: number; spec?: ModelSpec; weights?: Weights };
  /** Trainable parameters, flattened in flatGradient order. */
  trainable: Float32Array;
  loss: LossSpec;
  scale: number;
  mode: LossMode;
  x: { rows: number; cols: number; data: Float32Array };
  y?: { rows: number; cols: number; data: Float32Array };
}

export type GradientReply = { missing: true } | { gradient: Float32Array; lossSum: number };
