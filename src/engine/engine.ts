import type { Matrix } from '../core/matrix.js';
import type { Weights } from './init.js';
import type { LoopHooks, LoopOptions, TrainHistory } from './loop.js';
import type { LossSpec, ModelSpec } from './spec.js';

export type { Weights } from './init.js';
export type { LoopHooks, LoopOptions, LoopOptionsInput, TrainHistory, EpochProgress } from './loop.js';
export type { LossSpec, ModelSpec, NetworkSpec, LayerSpec } from './spec.js';

/**
 * A built model living inside an engine (its weights may sit in WASM or native memory). Opaque:
 * only the engine that built it can use it, and it must be disposed.
 */
export interface ModelHandle {
  readonly spec: ModelSpec;
  readonly engine: string;
}

/**
 * Training data: one example per row, prod(input shape) numbers each. `y` is the target for
 * losses that need one (defaults to `x`, i.e. reconstruction). `labels` (0/1 per row, 1 = labeled
 * anomaly) are what the loop's balanced sampling draws by; losses read labels only through `y`.
 */
export interface TrainData {
  x: Matrix;
  y?: Matrix;
  labels?: Uint8Array;
}

export interface RunOptions {
  /** Rows per forward pass when scoring, at most; large, since inference holds no gradients. Default 4096; the engine may cut smaller passes for wide (e.g. convolutional) networks. */
  batchSize?: number;
}

/**
 * The seam between detectors and the numerical machinery. Detectors describe networks and losses
 * as data (spec.ts), train them with the shared loop (loop.ts) and read outputs, per-row losses and
 * weights back as plain arrays; nothing outside `src/engine/<engine>/` sees a tensor, so another
 * engine (e.g. native) can replace TF.js behind this interface.
 *
 * Handles own engine memory: every `build`/`load` must be paired with `dispose` (see `withModel`).
 * The engine's `train`, `forward` and `rowLoss` leave no engine memory behind.
 */
export interface Engine {
  /** e.g. `tfjs-wasm`. */
  readonly name: string;
  /** A fresh model with the seeded initial weights of `initialWeights(spec, seed)`. */
  build(spec: ModelSpec, seed: number): ModelHandle;
  /** A model with the given weights (every parameter of `modelParams(spec)`, right lengths). */
  load(spec: ModelSpec, weights: Weights): ModelHandle;
  /** Trains in place with the shared loop; rejects with CancelledError when `hooks.signal` fires. */
  train(model: ModelHandle, data: TrainData, loss: LossSpec, options: LoopOptions, hooks?: LoopHooks): Promise<TrainHistory>;
  /** Inference-mode output of one network (default: the first), one flattened row per input row. */
  forward(model: ModelHandle, x: Matrix, options?: RunOptions & { network?: string }): Promise<Matrix>;
  /** Inference-mode per-row loss (see lossSchema), deterministic: what deep detectors score with. */
  rowLoss(model: ModelHandle, data: TrainData, loss: LossSpec, options?: RunOptions): Promise<Float64Array>;
  /** A copy of every parameter (trainable or not), named as in `modelParams`. */
  weights(model: ModelHandle): Weights;
  setWeights(model: ModelHandle, weights: Weights): void;
  dispose(model: ModelHandle): void;
  /** Live engine-side buffers (tensors), for leak checks. */
  liveBuffers(): number;
  /**
   * Starts what the engine runs beside this thread (TF.js: its worker threads) and resolves when
   * it is ready. Optional for callers: without it, the first large calls run on this thread while
   * the workers start. A service calls it at startup; `bench speed` before timing.
   */
  prepare(): Promise<void>;
}

let engineOverride: Engine | undefined;
let defaultPromise: Promise<Engine> | undefined;

/**
 * The engine deep detectors use: TF.js (backend chosen in `tfjs/backend.ts`, `VIGIL_BACKEND`
 * forces one), loaded on first use so that importing Vigil never loads TF.js.
 */
export function defaultEngine(): Promise<Engine> {
  if (engineOverride) return Promise.resolve(engineOverride);
  if (!defaultPromise) {
    defaultPromise = import('./tfjs/engine.js').then((m) => m.createTfjsEngine());
    defaultPromise.catch(() => (defaultPromise = undefined)); // a failed start is retried next time
  }
  return defaultPromise;
}

/** Replaces the default engine (e.g. a native engine); `undefined` goes back to TF.js. */
export function setDefaultEngine(engine: Engine | undefined): void {
  engineOverride = engine;
}

/** Builds or loads a model, runs `fn` with it and disposes it whatever happens. */
export async function withModel<T>(
  engine: Engine,
  spec: ModelSpec,
  init: number | Weights,
  fn: (model: ModelHandle) => Promise<T>,
): Promise<T> {
  const model = typeof init === 'number' ? engine.build(spec, init) : engine.load(spec, init);
  try {
    return await fn(model);
  } finally {
    engine.dispose(model);
  }
}
