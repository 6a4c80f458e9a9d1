/**
 * What a report draws from scores (and labels): the score histogram, and the ROC and
 * precision-recall curves as point lists thinned to a size a page can carry. The areas are the
 * exact ones from src/evaluate/metrics.ts; only the drawn points are thinned.
 */
import { averagePrecision, rocAuc, type Labels, type Scores } from '../evaluate/metrics.js';

/** Points kept per curve: more than a chart's pixels across, few enough for any data size. */
export const CURVE_POINTS = 600;

export interface Histogram {
  /** Bin edges, one more than the counts. */
  edges: number[];
  /** Rows per bin; scores above the last edge are counted in the last bin (`above` says how many). */
  counts: number[];
  /** With labels: the labelled anomalies among `counts`. */
  anomalies?: number[];
  /** Scores beyond the drawn range, folded into the first or last bin. */
  below: number;
  above: number;
}

export interface Curve {
  x: number[];
  y: number[];
  /** Area: ROC-AUC, or average precision for the PR curve. */
  area: number;
}

/**
 * `bins` equal bins from the lowest finite score to the 99.9th percentile or the threshold,
 * whichever is higher, so one huge score does not squeeze every other row into the first bin.
 */
export function scoreHistogram(scores: Scores, threshold: number, labels?: Labels, bins = 40): Histogram {
  const finite = Array.from(scores).filter(Number.isFinite).sort((a, b) => a - b);
  const lo = finite.length ? Math.min(finite[0]!, Number.isFinite(threshold) ? threshold : Infinity) : 0;
  const q = finite.length ? finite[Math.min(finite.length - 1, Math.floor(finite.length * 0.999))]! : 1;
  let hi = Math.max(q, Number.isFinite(threshold) ? threshold : -Infinity);
  // The threshold gets some room on its right, so its line is not drawn on the frame.
  if (Number.isFinite(threshold) && hi === threshold) hi = threshold + 0.05 * Math.max(threshold - lo, Math.abs(threshold), 1e-9);
  if (!(hi > lo)) hi = lo + 1;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  const anomalies = labels ? new Array<number>(bins).fill(0) : undefined;
  let below = 0;
  let above = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (s < lo) below++;
    if (s > hi) above++;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((s - lo) / width)));
    counts[b]!++;
    if (anomalies && labels![i]) anomalies[b]!++;
  }
  return { edges, counts, ...(anomalies ? { anomalies } : {}), below, above };
}

/** True and false positives at every distinct score, from the highest down (ties flagged together). */
function steps(labels: Labels, scores: Scores): { tp: number[]; fp: number[]; positives: number; negatives: number } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let k = 0; k < order.length; k++) {
    if (labels[order[k]!]) t++;
    else f++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[order[k]!]) continue;
    tp.push(t);
    fp.push(f);
  }
  return { tp, fp, positives: t, negatives: f };
}

/**
 * The steps a curve needs, about `max` of them: the corners (each step that adds a true positive,
 * and the step before it), spread evenly when there are more, and the last step.
 */
function thin(tp: readonly number[], max: number): number[] {
  const n = tp.length;
  const corners: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k === n - 1 || tp[k] !== (k ? tp[k - 1] : 0)) {
      if (k > 0 && corners.at(-1) !== k - 1) corners.push(k - 1);
      corners.push(k);
    }
  }
  if (corners.at(-1) !== n - 1) corners.push(n - 1);
  if (corners.length <= max) return corners;
  const out: number[] = [];
  for (let j = 0; j < max; j++) out.push(corners[Math.round((j * (corners.length - 1)) / (max - 1))]!);
  return [...new Set(out)];
}

/** The ROC curve (false positive rate, true positive rate) from (0, 0) to (1, 1); undefined with one class only. */
export function rocCurve(labels: Labels, scores: Scores, max = CURVE_POINTS): Curve | undefined {
  const area = rocAuc(labels, scores);
  if (Number.isNaN(area)) return undefined;
  const s = steps(labels, scores);
  const keep = thin(s.tp, max);
  return { x: [0, ...keep.map((k) => s.fp[k]! / s.negatives)], y: [0, ...keep.map((k) => s.tp[k]! / s.positives)], area };
}

/** The precision-recall curve (recall, precision) as recall grows; undefined without anomalies. */
export function prCurve(labels: Labels, scores: Scores, max = CURVE_POINTS): Curve | undefined {
  const area = averagePrecision(labels, scores);
  if (Number.isNaN(area)) return undefined;
  const s = steps(labels, scores);
  const keep = thin(s.tp, max);
  const precision = (k: number): number => s.tp[k]! / (s.tp[k]! + s.fp[k]!);
  return { x: [0, ...keep.map((k) => s.tp[k]! / s.positives)], y: [precision(keep[0]!), ...keep.map(precision)], area };
}
