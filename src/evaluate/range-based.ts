/**
 * Range-based precision and recall (Tatbul, Lee, Zdonik, Alam & Gottschlich 2018, NeurIPS,
 * "Precision and Recall for Time Series"). Anomalies in time series are ranges, and
 * point-wise counts reward long anomalies over short ones and ignore how a range was hit. This
 * model scores each real range R_i by whether it was found at all (existence) and by how much
 * and which part of it was covered (overlap), discounted when it was split over several
 * predictions (cardinality); precision scores each predicted range P_j the same way, without
 * the existence term.
 *
 *   Recall_T(R, P)      = (1/N_r) Σ_i [ α Existence(R_i, P) + (1 - α) Overlap(R_i, P) ]
 *   Overlap(R_i, P)     = CF(R_i, P) Σ_j ω(R_i, R_i ∩ P_j, δ)
 *   Precision_T(R, P)   = (1/N_p) Σ_j CF(P_j, R) Σ_i ω(P_j, P_j ∩ R_i, δ)
 *
 * ω is the share of δ-weight of the range's positions that the overlap covers; CF is 1 when at
 * most one range on the other side overlaps, else γ (1, or 1/x for x overlapping ranges).
 * With α = 0, flat δ, γ = 1 and every range a single point these are classical precision and
 * recall, as the paper shows.
 *
 * Defaults, documented because they change the numbers: recall α = 0, flat bias, γ = 1/x;
 * precision flat bias, γ = 1/x. (The paper leaves them to the application; these reward
 * coverage only, and penalise fragmentation.) With no real ranges recall is 0, with no
 * predicted ranges precision is 0 (scikit-learn's zero_division=0, as the point-wise metrics).
 */
import { DataError } from '../core/errors.js';
import { checkRanges, overlapLength, rangeLength, toRanges, type Range } from './ranges.js';

/** δ: where in a range detection matters. front: earliest positions weigh most; back: latest; middle: centre. */
export type PositionalBias = 'flat' | 'front' | 'back' | 'middle';

/** γ for a range overlapped by x > 1 ranges on the other side: 'one' (no penalty) or 'reciprocal' (1/x). */
export type Cardinality = 'one' | 'reciprocal';

export interface RangeRecallOptions {
  /** Weight of the existence reward, in [0, 1]; default 0. */
  alpha?: number;
  bias?: PositionalBias;
  cardinality?: Cardinality;
}

export interface RangePrecisionOptions {
  bias?: PositionalBias;
  cardinality?: Cardinality;
}

/** The positional bias δ(i, ℓ) for position i = 1..ℓ, as the paper's pseudocode. */
export function positionalWeight(bias: PositionalBias, i: number, length: number): number {
  switch (bias) {
    case 'flat':
      return 1;
    case 'front':
      return length - i + 1;
    case 'back':
      return i;
    case 'middle':
      return i <= length / 2 ? i : length - i + 1;
    default:
      throw new DataError(`unknown positional bias '${String(bias)}': use flat, front, back or middle`);
  }
}

/**
 * Σ_{i=1..m} δ(i, ℓ) in closed form, so ω costs O(1) per overlap instead of a loop over the
 * range (the tests check it against the paper's loop).
 */
function cumulativeWeight(bias: PositionalBias, m: number, length: number): number {
  const tri = (k: number): number => (k * (k + 1)) / 2;
  switch (bias) {
    case 'flat':
      return m;
    case 'front':
      return m * (length + 1) - tri(m);
    case 'back':
      return tri(m);
    case 'middle': {
      const h = Math.floor(length / 2);
      if (m <= h) return tri(m);
      return tri(h) + (m - h) * (length + 1) - (tri(m) - tri(h));
    }
    default:
      throw new DataError(`unknown positional bias '${String(bias)}': use flat, front, back or middle`);
  }
}

/** ω(range, overlap, δ): δ-weight of the overlapped positions over the δ-weight of all positions. */
function omega(range: Range, overlap: Range, bias: PositionalBias): number {
  const len = rangeLength(range);
  const a = overlap[0] - range[0] + 1;
  const b = overlap[1] - range[0] + 1;
  return (cumulativeWeight(bias, b, len) - cumulativeWeight(bias, a - 1, len)) / cumulativeWeight(bias, len, len);
}

function cardinalityFactor(c: Cardinality, overlapping: number): number {
  if (overlapping <= 1) return 1;
  if (c === 'one') return 1;
  if (c === 'reciprocal') return 1 / overlapping;
  throw new DataError(`unknown cardinality '${String(c)}': use one or reciprocal`);
}

/** Ranges sorted by start; when they are also disjoint (as from toRanges) their ends are sorted too. */
interface Sorted {
  ranges: Range[];
  disjoint: boolean;
}

function prepare(ranges: readonly Range[]): Sorted {
  const rs = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { ranges: rs, disjoint: rs.every((r, j) => j === 0 || rs[j - 1]![1] < r[0]) };
}

/** The ranges of `s` that overlap r: a binary search when disjoint, a scan otherwise. */
function overlapping(s: Sorted, r: Range): Range[] {
  if (!s.disjoint) return s.ranges.filter((o) => overlapLength(o, r) > 0);
  let lo = 0;
  let hi = s.ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.ranges[mid]![1] < r[0]) lo = mid + 1;
    else hi = mid;
  }
  const out: Range[] = [];
  for (let j = lo; j < s.ranges.length && s.ranges[j]![0] <= r[1]; j++) out.push(s.ranges[j]!);
  return out;
}

function intersect(a: Range, b: Range): Range {
  return [Math.max(a[0], b[0]), Math.min(a[1], b[1])];
}

/** Recall_T over real ranges `real` given predicted ranges `predicted` (inclusive row indices). */
export function rangeRecall(real: readonly Range[], predicted: readonly Range[], o: RangeRecallOptions = {}): number {
  const alpha = o.alpha ?? 0;
  const bias = o.bias ?? 'flat';
  const card = o.cardinality ?? 'reciprocal';
  if (!(alpha >= 0 && alpha <= 1)) throw new DataError(`range recall: alpha must be in [0, 1], got ${alpha}`);
  if (real.length === 0) return 0;
  const preds = prepare(predicted);
  let total = 0;
  for (const r of real) {
    const hits = overlapping(preds, r);
    const existence = hits.length > 0 ? 1 : 0;
    let overlap = 0;
    for (const p of hits) overlap += omega(r, intersect(r, p), bias);
    total += alpha * existence + (1 - alpha) * cardinalityFactor(card, hits.length) * overlap;
  }
  return total / real.length;
}

/** Precision_T over predicted ranges given real ranges. */
export function rangePrecision(real: readonly Range[], predicted: readonly Range[], o: RangePrecisionOptions = {}): number {
  const bias = o.bias ?? 'flat';
  const card = o.cardinality ?? 'reciprocal';
  if (predicted.length === 0) return 0;
  const reals = prepare(real);
  let total = 0;
  for (const p of predicted) {
    const hits = overlapping(reals, p);
    let overlap = 0;
    for (const r of hits) overlap += omega(p, intersect(p, r), bias);
    total += cardinalityFactor(card, hits.length) * overlap;
  }
  return total / predicted.length;
}

export interface RangeBasedResult {
  precision: number;
  recall: number;
  f1: number;
  realRanges: number;
  predictedRanges: number;
}

/** Range-based precision, recall and their harmonic mean F1 from 0/1 label and prediction series. */
export function rangeBasedPRF(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  o: { recall?: RangeRecallOptions; precision?: RangePrecisionOptions } = {},
): RangeBasedResult {
  if (labels.length !== predicted.length) throw new DataError(`${labels.length} labels but ${predicted.length} predictions`);
  const real = toRanges(labels);
  const pred = toRanges(predicted);
  return rangeBasedFromRanges(real, pred, labels.length, o);
}

/** As rangeBasedPRF, from ranges over a series of `length` rows. */
export function rangeBasedFromRanges(
  real: readonly Range[],
  predicted: readonly Range[],
  length: number,
  o: { recall?: RangeRecallOptions; precision?: RangePrecisionOptions } = {},
): RangeBasedResult {
  checkRanges(real, length, 'real range');
  checkRanges(predicted, length, 'predicted range');
  const precision = rangePrecision(real, predicted, o.precision);
  const recall = rangeRecall(real, predicted, o.recall);
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, realRanges: real.length, predictedRanges: predicted.length };
}
