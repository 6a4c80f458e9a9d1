import { z } from 'zod';
import { CancelledError, DataError, OptionsError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import type { Weights } from './init.js';

/**
 * The one training loop every deep model uses, whatever the engine: seeded mini-batches (shuffled
 * epochs, or label-balanced draws), a seeded validation split, early stopping with patience
 * (restoring the best weights), cancellation through an AbortSignal and per-epoch progress. The engine supplies only a
 * TrainSession (one optimizer step, the loss read-back, inference-mode evaluation, weight
 * snapshots); Adam/SGD, gradient clipping and weight decay are carried out by the engine's step
 * from the options below.
 */
export const loopSchema = z
  .object({
    epochs: z.number().int().positive().max(100_000).default(10),
    batchSize: z.number().int().positive().default(32),
    /** 0 is allowed here (a frozen run, for tests); detectors require a positive rate. */
    learningRate: z.number().nonnegative().default(1e-3),
    optimizer: z.enum(['adam', 'sgd']).default('adam'),
    /** Share of the rows held out (seeded random choice) to monitor; 0 monitors the training loss. */
    validationSplit: z.number().min(0).max(0.9).default(0),
    /** Stop after this many epochs without improvement of the monitored loss; unset = run all epochs. */
    patience: z.number().int().positive().optional(),
    /** Smallest decrease of the monitored loss that counts as an improvement. */
    minDelta: z.number().nonnegative().default(0),
    /** With patience: end with the weights of the best epoch rather than the last. */
    restoreBest: z.boolean().default(true),
    /** Rescale the gradient so its global L2 norm (over all trainable parameters) is at most this. */
    clipNorm: z.number().positive().optional(),
    /** L2 penalty weightDecay/2 * ||w||^2 on trainable parameters (PyTorch's weight_decay), not in the reported loss. */
    weightDecay: z.number().nonnegative().default(0),
    /**
     * How mini-batches are drawn. `shuffle`: every training row once per epoch, in a seeded order.
     * `balanced`: each batch half rows labeled 1, half rows labeled 0, drawn with replacement
     * (DevNet's scheme, Pang et al. 2019: a few labeled anomalies are seen in every batch); needs
     * the session's labels.
     */
    sampling: z.enum(['shuffle', 'balanced']).default('shuffle'),
    /** Batches per epoch with balanced sampling (default: training rows / batchSize, at least 1). */
    stepsPerEpoch: z.number().int().positive().max(1_000_000).optional(),
    seed: z.number().int().default(0),
  })
  .strict();
export type LoopOptions = z.output<typeof loopSchema>;
export type LoopOptionsInput = z.input<typeof loopSchema>;

export function parseLoopOptions(raw: unknown): LoopOptions {
  const r = loopSchema.safeParse(raw);
  if (!r.success) {
    throw new OptionsError(`invalid training options: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (r.data.stepsPerEpoch !== undefined && r.data.sampling !== 'balanced') {
    throw new OptionsError('invalid training options: stepsPerEpoch applies to balanced sampling only (shuffled epochs visit every row once)');
  }
  return r.data;
}

export interface EpochProgress {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  elapsedMs: number;
  /** Estimated time left if every remaining epoch runs. */
  etaMs: number;
}

export interface LoopHooks {
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss?: number;
}

export interface TrainHistory {
  epochs: EpochRecord[];
  /** 1-based epoch whose weights the model ends with. */
  bestEpoch: number;
  stoppedEarly: boolean;
  trainRows: number;
  validationRows: number;
}

/** What an engine provides so the shared loop can drive it. */
export interface TrainSession {
  /** 0/1 per row (1 = labeled anomaly), for balanced sampling; the session holds them with the data. */
  readonly labels?: Uint8Array;
  /**
   * One training step on rows `idx`: one optimizer update, or for an adversarial loss one per
   * player (`epoch` 0-based, for schedules such as KL warm-up;
   * `seed` for this step's dropout masks and sampling noise).
   */
  step(idx: Int32Array, epoch: number, seed: number): Promise<void>;
  /** Row-weighted mean training loss over the steps since the last call. */
  epochLoss(): Promise<number>;
  /** Mean inference-mode loss over rows `idx`. */
  evaluate(idx: Int32Array): Promise<number>;
  snapshot(): Weights;
  restore(w: Weights): void;
}

const YIELD_EVERY_MS = 20;

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

function throwIfAborted(signal: AbortSignal | undefined, epoch: number, epochs: number): void {
  if (signal?.aborted) {
    throw new CancelledError(`training cancelled in epoch ${epoch} of ${epochs}`, { cause: signal.reason });
  }
}

/** Runs the loop over `rows` training rows; the session owns the data and the model. */
export async function runLoop(session: TrainSession, rows: number, o: LoopOptions, hooks: LoopHooks = {}): Promise<TrainHistory> {
  const rng = new Rng(o.seed);
  const splitRng = rng.fork();
  const shuffleRng = rng.fork();
  const noiseRng = rng.fork();
  let train: Int32Array;
  let val: Int32Array | undefined;
  if (o.validationSplit > 0) {
    const nVal = Math.floor(rows * o.validationSplit);
    if (nVal < 1 || rows - nVal < 2) {
      throw new DataError(`validationSplit ${o.validationSplit} of ${rows} rows leaves no validation or too few training rows`);
    }
    const perm = splitRng.permutation(rows);
    val = perm.slice(0, nVal).sort();
    train = perm.slice(nVal).sort();
  } else {
    train = new Int32Array(rows);
    for (let i = 0; i < rows; i++) train[i] = i;
  }
  if (train.length < 2) throw new DataError(`training needs at least 2 rows, got ${train.length}`);
  const batches = o.sampling === 'balanced' ? balancedBatches(train, session.labels, rows, o) : shuffledBatches(train, o);

  const history: TrainHistory = { epochs: [], bestEpoch: 0, stoppedEarly: false, trainRows: train.length, validationRows: val?.length ?? 0 };
  let best = Infinity;
  let bestWeights: Weights | undefined;
  let wait = 0;
  const t0 = performance.now();
  let lastYield = t0;
  throwIfAborted(hooks.signal, 1, o.epochs);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const batch of batches(shuffleRng)) {
      throwIfAborted(hooks.signal, epoch + 1, o.epochs);
      await session.step(batch, epoch, noiseRng.nextU32());
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop(); // lets an abort (signal handler, timer) be delivered mid-epoch
        lastYield = performance.now();
      }
    }
    const loss = await session.epochLoss();
    const valLoss = val ? await session.evaluate(val) : undefined;
    if (!Number.isFinite(loss) || (valLoss !== undefined && !Number.isFinite(valLoss))) {
      throw new OptionsError(`training diverged (loss ${loss}) in epoch ${epoch + 1}: lower learningRate or set clipNorm`);
    }
    history.epochs.push(valLoss === undefined ? { epoch: epoch + 1, loss } : { epoch: epoch + 1, loss, valLoss });
    const elapsedMs = performance.now() - t0;
    const progress: EpochProgress = {
      epoch: epoch + 1,
      epochs: o.epochs,
      loss,
      elapsedMs,
      etaMs: (elapsedMs / (epoch + 1)) * (o.epochs - epoch - 1),
    };
    if (valLoss !== undefined) progress.valLoss = valLoss;
    hooks.onEpoch?.(progress);

    const monitored = valLoss ?? loss;
    if (monitored < best - o.minDelta) {
      best = monitored;
      history.bestEpoch = epoch + 1;
      wait = 0;
      if (o.patience !== undefined && o.restoreBest && epoch + 1 < o.epochs) bestWeights = session.snapshot();
    } else if (o.patience !== undefined && ++wait >= o.patience) {
      history.stoppedEarly = epoch + 1 < o.epochs;
      break;
    }
  }
  const last = history.epochs.length;
  if (o.patience !== undefined && o.restoreBest && history.bestEpoch !== last && bestWeights) {
    session.restore(bestWeights);
  } else {
    history.bestEpoch = last;
  }
  return history;
}

/** One epoch's batches, drawn from `rng`. */
type EpochBatches = (rng: Rng) => Iterable<Int32Array>;

function shuffledBatches(train: Int32Array, o: LoopOptions): EpochBatches {
  const bs = Math.min(o.batchSize, train.length);
  return function* (rng) {
    const order = rng.shuffle(train.slice());
    for (let start = 0; start < order.length; start += bs) {
      const end = Math.min(start + bs, order.length);
      // A trailing batch of one row is skipped: batch statistics are undefined for it.
      if (end - start >= 2) yield order.subarray(start, end);
    }
  };
}

function balancedBatches(train: Int32Array, labels: Uint8Array | undefined, rows: number, o: LoopOptions): EpochBatches {
  if (!labels) throw new DataError('balanced sampling needs 0/1 labels for the training rows');
  if (labels.length !== rows) throw new DataError(`balanced sampling: ${labels.length} labels for ${rows} rows`);
  const pos = train.filter((i) => labels[i] === 1);
  const neg = train.filter((i) => labels[i] !== 1);
  if (!pos.length) throw new DataError('balanced sampling needs at least one training row labeled 1 (anomaly)');
  if (!neg.length) throw new DataError('balanced sampling needs at least one training row labeled 0');
  const bs = Math.max(2, o.batchSize);
  const half = Math.floor(bs / 2);
  const steps = o.stepsPerEpoch ?? Math.max(1, Math.floor(train.length / bs));
  return function* (rng) {
    for (let s = 0; s < steps; s++) {
      const batch = new Int32Array(bs);
      for (let k = 0; k < half; k++) batch[k] = pos[rng.int(pos.length)]!;
      for (let k = half; k < bs; k++) batch[k] = neg[rng.int(neg.length)]!;
      yield batch;
    }
  };
}
