import * as tf from '@tensorflow/tfjs-core';
import type { ModelHandle } from '../engine.js';
import type { Weights } from '../init.js';
import type { ModelSpec } from '../spec.js';
import { checkWeight, TfNetwork, type Param } from './network.js';
import type { ModelRef } from './threads.js';

const SCORE_BATCH = 4096;
/**
 * Inference chunks are cut so the widest layer holds at most this many floats (4 MB): one pass over
 * 4000 28x28 images at once grew WASM memory and scored ~1.5x slower than chunks of 256-512
 * (measured on the conv autoencoder); dense networks keep the full SCORE_BATCH.
 */
const ACTIVATION_BUDGET = 1 << 20;

let nextModelId = 0;

/** A model as the TF.js engine holds it: one TfNetwork per network of the spec, their variables, and its scoring batch. */
export class TfModel implements ModelHandle, ModelRef {
  readonly nets = new Map<string, TfNetwork>();
  readonly params: Param[];
  disposed = false;
  /** Identity and weight version, by which worker threads cache their copy (threads.ts). */
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

export function asModel(h: ModelHandle): TfModel {
  if (!(h instanceof TfModel)) throw new TypeError('this model was built by another engine');
  if (h.disposed) throw new TypeError('this model has been disposed');
  return h;
}

export function readWeights(m: TfModel): Weights {
  const out: Weights = {};
  for (const p of m.params) out[p.spec.name] = new Float32Array(p.variable.dataSync() as Float32Array);
  return out;
}

export function writeWeights(m: TfModel, w: Weights): void {
  m.version++;
  const arrays = m.params.map((p) => checkWeight(p.spec, w[p.spec.name]));
  m.params.forEach((p, i) => {
    const t = tf.tensor(arrays[i]!, p.spec.shape, 'float32');
    p.variable.assign(t);
    t.dispose();
  });
}

/** The trainable parameters as one float32 vector (in `trainable` order), to send to a worker thread. */
export function readTrainable(m: TfModel): Float32Array {
  const vars = m.trainable;
  const out = new Float32Array(vars.reduce((a, v) => a + v.size, 0));
  let at = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, at);
    at += v.size;
  }
  return out;
}

/** Sets the trainable parameters from readTrainable's vector (a worker thread's copy during training; the version stays). */
export function writeTrainable(m: TfModel, flat: Float32Array): void {
  let at = 0;
  for (const v of m.trainable) {
    const t = tf.tensor(flat.subarray(at, at + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    at += v.size;
  }
}
