import { DataError } from '../core/errors.js';
import { averageRanks } from '../core/stats.js';
import { descending, thresholdSteps } from './threshold-steps.js';

/**
 * Ground truth, one 0/1 per row (1 = anomaly), always the first argument of a metric. Float
 * arrays are left out of the type on purpose: a detector's scores are a Float64Array, so
 * `rocAuc(scores, labels)` does not compile; every metric also checks its labels at run time.
 */
export type Labels = Uint8Array | Int8Array | Uint8ClampedArray | Int32Array | readonly number[];

/** Scores, higher = more anomalous (a detector's `score()`), always after the labels. */
export type Scores = ArrayLike<number>;

/** 0/1 predictions, e.g. a model's `predict()`. */
export type Predictions = Labels;

/**
 * The run-time half of the argument order: labels must be 0 or 1 (a 2, a score or NaN is a
 * DataError that says which row and what the order is), scores must be numbers, lengths equal.
 */
function checkInputs(fn: string, labels: Labels, other: ArrayLike<number>, what: 'scores' | 'predictions'): void {
  if (labels.length !== other.length) {
    throw new DataError(`${fn}: ${labels.length} labels but ${other.length} ${what}; they must be one per row`);
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v !== 0 && v !== 1) {
      throw new DataError(`${fn}: labels[${i}] is ${String(v)}; labels must be 0 (normal) or 1 (anomaly), and come first: ${fn}(labels, ${what})`);
    }
  }
  for (let i = 0; i < other.length; i++) {
    const v = other[i];
    if (what === 'predictions' ? v !== 0 && v !== 1 : typeof v !== 'number' || Number.isNaN(v)) {
      const want = what === 'predictions' ? '0 or 1' : 'a number';
      throw new DataError(`${fn}: ${what}[${i}] is ${String(v)}; ${what} must be ${want}`);
    }
  }
}

function countPositives(labels: Labels): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) p += labels[i] ? 1 : 0;
  return p;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusion(labels: Labels, predicted: Predictions): Confusion {
  checkInputs('confusion', labels, predicted, 'predictions');
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] ? 1 : 0;
    const p = predicted[i] ? 1 : 0;
    if (y && p) c.tp++;
    else if (!y && p) c.fp++;
    else if (y) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Precision, recall and F1; each is 0 where its denominator is 0 (scikit-learn's zero_division=0). */
export function prf(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * Area under the ROC curve as the Mann-Whitney statistic with average ranks, so tied scores
 * count one half. NaN when only one class is present.
 */
export function rocAuc(labels: Labels, scores: Scores): number {
  checkInputs('rocAuc', labels, scores, 'scores');
  const pos = countPositives(labels);
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  const ranks = averageRanks(scores);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) sum += ranks[i]!;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}


/**
 * Average precision, the step-wise area under the precision-recall curve
 * (sum over thresholds of (R_k - R_{k-1}) P_k), with tied scores forming one threshold,
 * as scikit-learn's average_precision_score. NaN without positives.
 */
export function averagePrecision(labels: Labels, scores: Scores): number {
  checkInputs('averagePrecision', labels, scores, 'scores');
  const pos = countPositives(labels);
  if (pos === 0) return NaN;
  let prevRecall = 0;
  let ap = 0;
  for (const { tp, fp } of thresholdSteps(labels, scores)) {
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}


/** Precision among the n highest scores, n = number of true anomalies (PyOD's precision@n). */
export function precisionAtN(labels: Labels, scores: Scores, n?: number): number {
  checkInputs('precisionAtN', labels, scores, 'scores');
  n ??= countPositives(labels);
  if (n === 0) return 0;
  const order = descending(scores);
  let hit = 0;
  for (let k = 0; k < n && k < order.length; k++) hit += labels[order[k]!] ? 1 : 0;
  return hit / n;
}

/** The score threshold (predict anomaly when score >= threshold) with the highest F1. */
export function bestF1(labels: Labels, scores: Scores): { threshold: number; f1: number; precision: number; recall: number } {
  checkInputs('bestF1', labels, scores, 'scores');
  const pos = countPositives(labels);
  let best = { threshold: Infinity, f1: 0, precision: 0, recall: 0 };
  for (const { threshold, tp, fp } of thresholdSteps(labels, scores)) {
    const precision = tp / (tp + fp);
    const recall = pos ? tp / pos : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold, f1, precision, recall };
  }
  return best;
}

/** Every label must be 0 or 1: turns values read from anywhere into `Labels`. */
export function checkBinaryLabels(labels: ArrayLike<unknown>, where = 'labels'): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === 0 || v === 1) out[i] = v;
    else throw new DataError(`${where}: row ${i + 1} has '${String(v)}'; labels must be 0 (normal) or 1 (anomaly)`);
  }
  return out;
}
