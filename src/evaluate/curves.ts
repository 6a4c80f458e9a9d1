/**
 * The curves behind the summary metrics, for drawing: ROC (false against true positive rate) and
 * precision-recall over every distinct score as a threshold, and a histogram of the scores where
 * there are no labels. Thinned to at most `maxPoints` so a model view stays small; the first and
 * last points are always kept, so the curve still spans the whole range.
 */
import { DataError } from '../core/errors.js';
import type { Labels, Scores } from './metrics.js';
import { thresholdSteps } from './threshold-steps.js';

export interface RocCurve {
  fpr: number[];
  tpr: number[];
}

export interface PrCurve {
  recall: number[];
  precision: number[];
}

export interface Histogram {
  /** `counts.length + 1` bin edges, lowest first. */
  edges: number[];
  counts: number[];
}

function thin<T>(xs: readonly T[], maxPoints: number): T[] {
  if (xs.length <= maxPoints) return [...xs];
  const out: T[] = [];
  const step = (xs.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) out.push(xs[Math.round(k * step)]!);
  return out;
}

function classes(labels: Labels, scores: Scores): { pos: number; neg: number } {
  if (labels.length !== scores.length) throw new DataError(`curves: ${labels.length} labels for ${scores.length} scores`);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i] ? 1 : 0;
  return { pos, neg: labels.length - pos };
}

/** The ROC curve from (0, 0) to (1, 1); null when only one class is present. */
export function rocCurve(labels: Labels, scores: Scores, maxPoints = 200): RocCurve | null {
  const { pos, neg } = classes(labels, scores);
  if (pos === 0 || neg === 0) return null;
  const pts = [{ fpr: 0, tpr: 0 }];
  for (const { tp, fp } of thresholdSteps(labels, scores)) pts.push({ fpr: fp / neg, tpr: tp / pos });
  const kept = thin(pts, maxPoints);
  return { fpr: kept.map((p) => p.fpr), tpr: kept.map((p) => p.tpr) };
}

/** The precision-recall curve, recall rising; null without positives. */
export function prCurve(labels: Labels, scores: Scores, maxPoints = 200): PrCurve | null {
  const { pos } = classes(labels, scores);
  if (pos === 0) return null;
  const pts: { recall: number; precision: number }[] = [];
  for (const { tp, fp } of thresholdSteps(labels, scores)) pts.push({ recall: tp / pos, precision: tp / (tp + fp) });
  const kept = thin(pts, maxPoints);
  return { recall: kept.map((p) => p.recall), precision: kept.map((p) => p.precision) };
}

/** Equal-width bins over the finite scores; null when there are none. */
export function scoreHistogram(scores: Scores, bins = 40): Histogram | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) continue;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (lo > hi) return null;
  const n = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / n : 1;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isFinite(s)) counts[Math.min(n - 1, Math.floor((s - lo) / width))]!++;
  }
  return { edges: Array.from({ length: n + 1 }, (_, k) => lo + k * width), counts };
}
