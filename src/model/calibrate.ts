/**
 * Where a model learns its calibrated scores and its threshold: the training scores, the scores of
 * rows held back from the detector's fit (`calibration: {holdout}`), or labelled validation rows;
 * and what the chosen threshold does there (alerts per day, recall, cost), saved with the model.
 */
import { z } from 'zod';
import { DataError } from '../core/errors.js';
import { selectRows, type Matrix } from '../core/matrix.js';
import { Rng } from '../core/random.js';
import type { Frame } from '../data/frame.js';
import {
  CALIBRATION_MIN_SCORES,
  cutStats,
  fitCalibration,
  spanDays,
  type CalibrationState,
  type CutStats,
  type ThresholdSpec,
} from '../threshold/index.js';

/** The seed of the held-back split: fixed, so a refit on the same rows holds back the same ones. */
const HOLDOUT_SEED = 0x5eed;

const count = z.number().int().min(0);
const finite = z.number().finite();
export const thresholdChoiceSchema = z
  .object({
    /** Which scores the threshold was chosen on. */
    on: z.enum(['training', 'holdout', 'validation']),
    cutoff: finite,
    rows: count,
    alerts: count,
    alertsPerDay: finite.optional(),
    recall: finite.optional(),
    precision: finite.optional(),
    falseNegatives: count.optional(),
    falsePositives: count.optional(),
    cost: finite.optional(),
  })
  .strict();
export type ThresholdChoice = z.infer<typeof thresholdChoiceSchema>;

export interface Holdout {
  /** Rows held back from the detector's fit, ascending. */
  held: Int32Array;
  fitRows(X: Matrix): Matrix;
  fitLabels(labels: Uint8Array): Uint8Array;
}

/** A seeded split of n rows holding back `share` of them, or undefined for no share. */
export function planHoldout(n: number, share: number | undefined): Holdout | undefined {
  if (share === undefined) return undefined;
  const k = Math.round(n * share);
  if (k < 1 || k > n - 1) throw new DataError(`holding back ${share} of ${n} rows leaves ${k} to calibrate on and ${n - k} to fit: too few rows`);
  const order = new Rng(HOLDOUT_SEED).permutation(n);
  const held = order.slice(0, k).sort();
  const fit = order.slice(k).sort();
  return {
    held,
    fitRows: (X) => selectRows(X, fit),
    fitLabels: (labels) => Uint8Array.from(fit, (i) => labels[i]!),
  };
}

/** The time span a frame's rows cover in days: its first timestamp column, else rows / rowsPerDay. */
export function frameDays(frame: Frame, rowsPerDay: number | undefined): number | undefined {
  if (rowsPerDay !== undefined) return frame.rows / rowsPerDay;
  const ts = frame.columns.find((c) => c.kind === 'timestamp');
  return ts ? spanDays(ts.values as Float64Array) : undefined;
}

export interface ChoiceInput {
  frame: Frame;
  /** The detector's scores of every training row. */
  scores: Float64Array;
  labels?: Uint8Array;
  held?: Holdout;
  rowsPerDay?: number;
  validation?: { frame: Frame; labels?: Uint8Array; score: (f: Frame) => Promise<Float64Array> };
  threshold: ThresholdSpec;
}

export interface ChoiceScores {
  /** The scores (and labels, time span) the threshold is fitted on. */
  scores: Float64Array;
  labels?: Uint8Array;
  days?: number;
  /** Fitted on the normal (label 0) rows of the held-back rows, else of the training rows. */
  calibration?: CalibrationState;
  choice(cutoff: number): ThresholdChoice;
}

function pickIndex<T extends Float64Array | Uint8Array>(a: T, idx: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]!]!;
  return out;
}

export async function validationScores(c: ChoiceInput): Promise<ChoiceScores> {
  const heldScores = c.held ? pickIndex(c.scores, c.held.held) : c.scores;
  const heldLabels = c.held && c.labels ? pickIndex(c.labels, c.held.held) : c.labels;
  const normal = heldLabels ? heldScores.filter((_, i) => !heldLabels[i]) : heldScores;
  const needed = c.threshold.kind === 'exceedance';
  const calibration = needed || normal.length >= CALIBRATION_MIN_SCORES ? fitCalibration(normal) : undefined;
  const trainDays = frameDays(c.frame, c.rowsPerDay);
  let on: ThresholdChoice['on'];
  let scores: Float64Array;
  let labels: Uint8Array | undefined;
  let days: number | undefined;
  if (c.validation) {
    on = 'validation';
    scores = await c.validation.score(c.validation.frame);
    labels = c.validation.labels;
    days = frameDays(c.validation.frame, c.rowsPerDay);
    if (labels && labels.length !== scores.length) throw new DataError(`${labels.length} validation labels for ${scores.length} validation rows`);
  } else {
    on = c.held ? 'holdout' : 'training';
    scores = heldScores;
    labels = heldLabels;
    // Held-back rows are spread over the whole span: they cover their share of its days.
    days = trainDays === undefined ? undefined : (trainDays * scores.length) / c.frame.rows;
  }
  const costs = c.threshold.kind === 'cost' ? { fn: c.threshold.fn, fp: c.threshold.fp } : undefined;
  return {
    scores,
    ...(labels ? { labels } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(calibration ? { calibration } : {}),
    choice: (cutoff) => ({ on, ...cutStats(scores, cutoff, { labels, days, costs }) }) satisfies CutStats & { on: string },
  };
}

/** The error for a model without a calibrator. */
export function noCalibration(rows: number | undefined): DataError {
  const few = rows !== undefined && rows < CALIBRATION_MIN_SCORES ? `it was fitted on ${rows} rows (calibration needs ${CALIBRATION_MIN_SCORES})` : 'the file was saved by a vigil without calibrated scores';
  return new DataError(`this model has no calibrated scores: ${few}; refit it to get them`);
}
