import { z } from 'zod';
import { DataError } from '../../core/errors.js';
import { columnMeans, columnStds, standardize } from '../../core/linalg.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { defaultEngine, withModel, type Engine, type LossSpec, type ModelHandle, type ModelSpec, type TrainData } from '../../engine/engine.js';
import { checkSeries } from './check.js';
import { loopOptions, progressHook, summarize, trainedFromState, trainedState, trainingOptions, type Trained, type TrainingOptions } from '../deep/common.js';
import type { DetectorState, FitContext, Json } from '../detector.js';
import { fittedOr } from '../state.js';
import type { SeriesDetector, SeriesScores } from './series-detector.js';

/**
 * Training options of the deep series detectors: the deep detectors' own, with defaults sized for a
 * few thousand steps (a fifth of the windows held out, early stopping after 3 epochs without
 * improvement).
 */
export const seriesTrainingOptions = {
  ...trainingOptions,
  epochs: trainingOptions.epochs.removeDefault().default(20),
  batchSize: trainingOptions.batchSize.removeDefault().default(64),
  validationSplit: trainingOptions.validationSplit.removeDefault().default(0.2),
  patience: z.number().int().positive().optional().default(3),
};

/** The same for the recurrent detectors: recurrent steps are costly on TF.js, so fewer, larger batches keep a fit of a few thousand steps short. */
export const recurrentTrainingOptions = {
  ...seriesTrainingOptions,
  epochs: seriesTrainingOptions.epochs.removeDefault().default(10),
  batchSize: seriesTrainingOptions.batchSize.removeDefault().default(128),
};

export const windowOption = (d: number) => z.number().int().min(2).max(4096).default(d);

/** Per-step errors of the steps a model can score (steps context .. T-1), per channel; `joint` defaults to their row sums. */
export interface StepErrors {
  channels: Matrix;
  joint?: Float64Array;
}

/**
 * The shared half of the deep series detectors: channels standardised with the training
 * statistics, training through the engine's one loop, scoring with nothing left in engine memory,
 * the warm-up steps set to 0, and state as the deep detectors keep it (spec, loss, float32 weights,
 * scaler). A model supplies its network and loss, how a series becomes training examples, and the
 * per-step, per-channel errors of a (standardised) series.
 */
export abstract class DeepSeriesDetector<O extends TrainingOptions> implements SeriesDetector {
  abstract readonly name: string;
  abstract readonly context: number;
  private trained?: Trained;

  constructor(readonly options: O & Readonly<Record<string, Json>>) {}

  get fitted(): boolean {
    return this.trained !== undefined;
  }

  protected abstract network(channels: number): { spec: ModelSpec; loss: LossSpec };
  protected abstract examples(x: Matrix): TrainData;
  protected abstract errors(engine: Engine, model: ModelHandle, x: Matrix): Promise<StepErrors>;

  private check(series: Matrix, what: 'fit' | 'score'): void {
    checkSeries(series, this.name, this.context, what);
  }

  async fit(series: Matrix, ctx?: FitContext): Promise<void> {
    this.check(series, 'fit');
    this.trained = undefined;
    const o = this.options;
    let scaler: Trained['scaler'];
    if (o.standardize) {
      const mean = columnMeans(series);
      scaler = { mean, sd: columnStds(series, mean, 1) };
    }
    const x = scaler ? standardize(series, scaler) : series;
    const { spec, loss } = this.network(series.cols);
    const engine = await defaultEngine();
    const t = await withModel(engine, spec, o.seed, async (m): Promise<Trained> => {
      const hist = await engine.train(m, this.examples(x), loss, loopOptions(o), { signal: ctx?.signal, onEpoch: progressHook(ctx) });
      return { spec: m.spec, loss, weights: engine.weights(m), features: series.cols, ...summarize(hist) };
    });
    this.trained = scaler ? { ...t, scaler } : t;
  }

  async score(series: Matrix): Promise<SeriesScores> {
    const t = fittedOr(this.trained, this.name);
    if (series.cols !== t.features) throw new DataError(`${this.name} was fitted on ${t.features} channels, got ${series.cols}`);
    this.check(series, 'score');
    const x = t.scaler ? standardize(series, t.scaler) : series;
    const engine = await defaultEngine();
    const e = await withModel(engine, t.spec, t.weights, (m) => this.errors(engine, m, x));
    const warmup = this.context;
    const channels = matrix(series.rows, series.cols);
    channels.data.set(e.channels.data, warmup * series.cols);
    const score = new Float64Array(series.rows);
    for (let i = warmup; i < series.rows; i++) {
      let s = 0;
      for (let c = 0; c < series.cols; c++) s += channels.data[i * series.cols + c]!;
      score[i] = e.joint ? e.joint[i - warmup]! : s;
    }
    return { score, channels, warmup };
  }

  getState(): DetectorState {
    return trainedState(fittedOr(this.trained, this.name));
  }

  setState(s: DetectorState): void {
    this.trained = trainedFromState(s, this.name);
  }
}
