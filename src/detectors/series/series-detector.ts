import type { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import type { DetectorInfo, DetectorState, FitContext, Json } from '../detector.js';
import type { AutoChoice } from '../auto/choice.js';

/**
 * Time-series detectors: a contract of their own beside the row-wise `Detector`, because a score at
 * step t depends on the steps before it. A series is a Matrix with one row per time step, in time
 * order, at a regular interval, and one column per channel (1 for a univariate series); the data
 * layer (src/data/series.ts) sorts, checks and regularises raw input before it gets here, so a
 * detector never sees timestamps, gaps or text. Windowing is the detector's job, never the user's.
 */
export interface SeriesScores {
  /** Joint score per step, higher = more anomalous; 0 for the first `warmup` steps. */
  score: Float64Array;
  /** Per-channel scores (steps x channels): which channels are behind a joint score. */
  channels: Matrix;
  /** Steps at the start that lack the history a score needs (they score 0). */
  warmup: number;
}

export interface SeriesDetector {
  readonly name: string;
  readonly options: Readonly<Record<string, Json>>;
  readonly fitted: boolean;
  /**
   * Past steps a score reads: scoring step t uses steps t - context .. t. Two baselines reach further:
   * EWMA remembers every step (context is its warm-up) and seasonal fits its phase to the scored series.
   */
  readonly context: number;
  /** Learns normal behaviour from one series (ctx.labels, one per step, only for detectors that use them). */
  fit(series: Matrix, ctx?: FitContext): Promise<void>;
  /** Scores every step of a series with the channel count seen in `fit`. */
  score(series: Matrix): Promise<SeriesScores>;
  getState(): DetectorState;
  setState(state: DetectorState): void;
  /** `series-auto`: what it combined and why. */
  choice?(): AutoChoice | undefined;
}

/** A series detector kind: description, options schema, and a factory from raw options. */
export interface SeriesDetectorDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> extends DetectorInfo {
  readonly schema: S;
  (options?: z.input<S>): SeriesDetector;
}

export type AnySeriesDetectorDefinition = SeriesDetectorDefinition<any>;
