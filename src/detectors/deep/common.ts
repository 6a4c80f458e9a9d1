import { z } from 'zod';
import { checkFinite } from '../../core/check-finite.js';
import { FormatError } from '../../core/errors.js';
import { columnMeans, columnStds, standardize } from '../../core/linalg.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { defaultEngine, withModel, type Engine, type EpochProgress, type ModelHandle, type LossSpec, type ModelSpec, type TrainData, type TrainHistory, type Weights } from '../../engine/engine.js';
import { checkWeights } from '../../engine/init.js';
import { parseLoopOptions, type LoopOptions } from '../../engine/loop.js';
import { activationSchema, lossSchema, parseModelSpec, type LayerSpecInput } from '../../engine/spec.js';
import type { Detector, DetectorState, FitContext, Json } from '../detector.js';
import { checkFeatures, fittedOr, stateArray, stateNumber } from '../state.js';

/** Training options every deep detector shares (the shared loop's knobs, with detector-sized defaults). */
export const trainingOptions = {
  epochs: z.number().int().positive().max(100_000).default(10).describe('Passes over the training data.'),
  batchSize: z.number().int().positive().default(32).describe('Rows per gradient step.'),
  learningRate: z.number().positive().default(1e-3).describe('Step size of the Adam optimiser.'),
  /** Share of the training rows held out to monitor the loss for early stopping; 0 monitors the training loss. */
  validationSplit: z.number().min(0).max(0.9).default(0).describe('Share of the training rows held out to monitor the loss for early stopping; 0 monitors the training loss.'),
  /** Stop after this many epochs without improvement (and keep the best epoch's weights); unset = run every epoch. */
  patience: z.number().int().positive().optional().describe('Stop after this many epochs without improvement (and keep the best epoch\'s weights); unset = run every epoch.'),
  /** Global gradient-norm clipping; unset = none. */
  clipNorm: z.number().positive().optional().describe('Global gradient-norm clipping; unset = none.'),
  /** L2 weight decay (PyTorch's Adam weight_decay). */
  weightDecay: z.number().nonnegative().default(0).describe('L2 weight decay (PyTorch\'s Adam weight_decay).'),
  seed: z.number().int().default(0).describe('Seed of the initial weights and the shuffling.'),
  /** Standardise each feature with the training mean and standard deviation first (as PyOD's preprocessing=True). */
  standardize: z.boolean().default(true).describe('Standardise each feature with the training mean and standard deviation first (as PyOD\'s preprocessing=True).'),
};

export const hiddenSizes = (d: number[]) => z.array(z.number().int().positive().max(65_536)).min(1).max(16).default(d).describe('Units of each hidden layer, outermost first.');
export const activation = (d: z.infer<typeof activationSchema>) => activationSchema.default(d).describe("The hidden layers' activation function.");

export type TrainingOptions = z.output<z.ZodObject<typeof trainingOptions>>;

/** The loop options for a detector's settings; the loop's seed is kept apart from the initial weights' seed. */
export function loopOptions(o: TrainingOptions): LoopOptions {
  return parseLoopOptions({
    epochs: o.epochs,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    validationSplit: o.validationSplit,
    patience: o.patience,
    clipNorm: o.clipNorm,
    weightDecay: o.weightDecay,
    seed: (o.seed ^ 0x5bd1e995) | 0,
  });
}

/** Dense blocks as PyOD builds them: Linear -> [BatchNorm] -> activation -> [Dropout], one per size. */
export function denseBlocks(
  sizes: readonly number[],
  o: { activation: z.infer<typeof activationSchema>; batchNorm: boolean; dropout: number; useBias?: boolean; init?: 'glorotUniform' | 'fanInUniform' },
): LayerSpecInput[] {
  const out: LayerSpecInput[] = [];
  const init = o.init ?? 'glorotUniform';
  for (const units of sizes) {
    if (o.batchNorm) {
      out.push({ type: 'dense', units, useBias: o.useBias ?? true, init });
      out.push(o.useBias === false ? { type: 'batchNorm', center: false, scale: false } : { type: 'batchNorm' });
      out.push({ type: 'activation', fn: o.activation });
    } else {
      out.push({ type: 'dense', units, activation: o.activation, useBias: o.useBias ?? true, init });
    }
    if (o.dropout > 0) out.push({ type: 'dropout', rate: o.dropout });
  }
  return out;
}

/** What a fitted deep detector holds: everything needed to score, as plain data. */
export interface Trained {
  spec: ModelSpec;
  /** The loss whose inference-mode per-row value is the score. */
  loss: LossSpec;
  weights: Weights;
  features: number;
  epochsRun: number;
  bestEpoch: number;
  finalLoss: number;
  /** Feature standardisation learned from the training rows, when `standardize` is on. */
  scaler?: { mean: Float64Array; sd: Float64Array };
}

/** Forwards the loop's epoch reports to a detector's progress callback. */
export function progressHook(ctx: FitContext | undefined): ((p: EpochProgress) => void) | undefined {
  const cb = ctx?.onProgress;
  if (!cb) return undefined;
  return (p) =>
    cb({
      fraction: p.epoch / p.epochs,
      epoch: p.epoch,
      epochs: p.epochs,
      loss: p.loss,
      message:
        `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toPrecision(4)}` +
        (p.valLoss === undefined ? '' : ` val ${p.valLoss.toPrecision(4)}`),
      etaMs: p.etaMs,
    });
}

export function summarize(h: TrainHistory): Pick<Trained, 'epochsRun' | 'bestEpoch' | 'finalLoss'> {
  const best = h.epochs[h.bestEpoch - 1] ?? h.epochs[h.epochs.length - 1]!;
  return { epochsRun: h.epochs.length, bestEpoch: h.bestEpoch, finalLoss: best.valLoss ?? best.loss };
}

const W = 'w:';

/**
 * The shared half of every deep detector: fitting through the engine, scoring with the loss in
 * inference mode (in batches of 4096, nothing left in engine memory), and state as the network
 * spec, the scoring loss and the float32 weights, so a restored model scores bit for bit the same.
 * A model supplies `train` (its network, loss and any extra learned values).
 */
export abstract class DeepDetector<O extends TrainingOptions> implements Detector {
  abstract readonly name: string;
  protected trained?: Trained;

  constructor(readonly options: O & Readonly<Record<string, Json>>) {}

  get fitted(): boolean {
    return this.trained !== undefined;
  }

  protected abstract train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained>;

  async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    checkFinite(X, this.name);
    const engine = await defaultEngine();
    this.trained = undefined;
    let scaler: Trained['scaler'];
    if (this.options.standardize) {
      const mean = columnMeans(X);
      scaler = { mean, sd: columnStds(X, mean, 1) };
    }
    const t = await this.train(engine, scaler ? standardize(X, scaler) : X, ctx);
    this.trained = scaler ? { ...t, scaler } : t;
  }

  /** Checks rows against the fitted model and returns them as the network sees them (standardised if so fitted). */
  protected prepare(X: Matrix): { t: Trained; x: Matrix } {
    const t = fittedOr(this.trained, this.name);
    checkFeatures(this.name, t.features, X);
    checkFinite(X, this.name);
    return { t, x: t.scaler ? standardize(X, t.scaler) : X };
  }

  /** The shared loop's options for this detector's settings. */
  protected loop(): LoopOptions {
    return loopOptions(this.options);
  }

  /** Runs the shared loop on a built model (with a target and labels, for losses that need them) and packs what scoring needs. */
  protected async trainBuilt(
    engine: Engine,
    m: ModelHandle,
    X: Matrix,
    loss: LossSpec,
    ctx: FitContext | undefined,
    target: Pick<TrainData, 'y' | 'labels'> = {},
  ): Promise<Trained> {
    const hist = await engine.train(m, { x: X, ...target }, loss, this.loop(), { signal: ctx?.signal, onEpoch: progressHook(ctx) });
    return { spec: m.spec, loss, weights: engine.weights(m), features: X.cols, ...summarize(hist) };
  }

  /** Squared error of each input value against the network's reconstruction; rows sum to the score. */
  protected async reconstructionErrors(X: Matrix): Promise<Matrix> {
    const { t, x } = this.prepare(X);
    const engine = await defaultEngine();
    const rec = await withModel(engine, t.spec, t.weights, (m) => engine.forward(m, x));
    const out = matrix(X.rows, X.cols);
    for (let k = 0; k < out.data.length; k++) out.data[k] = (x.data[k]! - rec.data[k]!) ** 2;
    return out;
  }

  async score(X: Matrix): Promise<Float64Array> {
    const { t, x } = this.prepare(X);
    const engine = await defaultEngine();
    return withModel(engine, t.spec, t.weights, (m) => engine.rowLoss(m, { x }, t.loss));
  }

  getState(): DetectorState {
    return trainedState(fittedOr(this.trained, this.name));
  }

  setState(s: DetectorState): void {
    this.trained = trainedFromState(s, this.name);
  }
}

/** A trained network as detector state: the spec, the scoring loss and float32 weights, plus the scaler if any. */
export function trainedState(t: Trained): DetectorState {
  const arrays: DetectorState['arrays'] = {};
  for (const [k, v] of Object.entries(t.weights)) arrays[W + k] = v;
  if (t.scaler) {
    arrays['scale.mean'] = t.scaler.mean;
    arrays['scale.sd'] = t.scaler.sd;
  }
  return {
    params: {
      features: t.features,
      spec: t.spec as unknown as Json,
      loss: t.loss as unknown as Json,
      epochsRun: t.epochsRun,
      bestEpoch: t.bestEpoch,
      finalLoss: t.finalLoss,
    },
    arrays,
  };
}

/** Reads `trainedState` back, checking the spec, the weights and the scaler (FormatError otherwise). */
export function trainedFromState(s: DetectorState, name: string): Trained {
  const features = stateNumber(s, 'features');
  let spec: ModelSpec;
  let loss: LossSpec;
  try {
    spec = parseModelSpec(s.params['spec']);
    loss = lossSchema.parse(s.params['loss']);
  } catch (e) {
    throw new FormatError(`saved ${name} state has an invalid network or loss: ${(e as Error).message}`);
  }
  const weights: Weights = {};
  for (const [k, v] of Object.entries(s.arrays)) {
    if (!k.startsWith(W)) continue;
    if (!(v instanceof Float32Array)) throw new FormatError(`saved weights '${k.slice(W.length)}' are not float32`);
    weights[k.slice(W.length)] = v;
  }
  checkWeights(spec, weights);
  const scaler =
    'scale.mean' in s.arrays
      ? { mean: stateArray(s, 'scale.mean', Float64Array), sd: stateArray(s, 'scale.sd', Float64Array) }
      : undefined;
  if (scaler && (scaler.mean.length !== features || scaler.sd.length !== features)) {
    throw new FormatError(`saved ${name} scaler does not have ${features} features`);
  }
  return {
    ...(scaler ? { scaler } : {}),
    spec,
    loss,
    weights,
    features,
    epochsRun: stateNumber(s, 'epochsRun'),
    bestEpoch: stateNumber(s, 'bestEpoch'),
    finalLoss: stateNumber(s, 'finalLoss'),
  };
}
