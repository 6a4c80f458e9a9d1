import { z } from 'zod';
import type { CalibrationState } from './calibration.js';

/**
 * How a model turns scores into 0/1. Thresholds are their own objects, apart from detectors:
 * a spec (plain data, saved with the model) is fitted on training scores to one cutoff value.
 */
export const thresholdSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('contamination'), rate: z.number().gt(0).lt(0.5) }).strict(),
  z.object({ kind: z.literal('value'), value: z.number().finite() }).strict(),
  z.object({ kind: z.literal('auto') }).strict(),
  // Peaks-over-threshold (Siffer et al. 2017): q is the target risk, level the initial quantile.
  z.object({ kind: z.literal('pot'), q: z.number().gt(0).lt(1).default(1e-4), level: z.number().gt(0).lt(1).default(0.98) }).strict(),
  // Cut where the calibrated p-value (the chance a normal row scores at least this high) falls below p.
  z.object({ kind: z.literal('exceedance'), p: z.number().gt(0).lt(1) }).strict(),
  // Minimise fn x missed anomalies + fp x false alarms on labelled validation rows.
  z.object({ kind: z.literal('cost'), fn: z.number().gt(0).finite(), fp: z.number().gt(0).finite() }).strict(),
  // At most perDay alerts per day of validation data.
  z.object({ kind: z.literal('budget'), perDay: z.number().gt(0).finite() }).strict(),
]);
export type ThresholdSpec = z.infer<typeof thresholdSpecSchema>;

export interface ThresholdContext {
  /** The detector's own label-free cutoff, where it has one (a test's critical value, say). */
  natural?: number;
  /** 0/1 labels of the scores (1 = anomaly), for thresholds chosen on labelled rows. */
  labels?: Uint8Array;
  /** The time span the scores' rows cover, in days, for alert budgets. */
  days?: number;
  /** A calibrator already fitted to these scores (else `exceedance` fits one). */
  calibration?: CalibrationState;
}

/** One implementation per kind; `fit` returns the cutoff: scores above it are anomalies. */
export interface Threshold<S extends ThresholdSpec = ThresholdSpec> {
  readonly kind: S['kind'];
  fit(spec: S, trainScores: Float64Array, ctx: ThresholdContext): number;
}

/** 1 where the score is strictly above the cutoff (as PyOD), else 0. */
export function applyThreshold(scores: ArrayLike<number>, cutoff: number): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! > cutoff ? 1 : 0;
  return out;
}
