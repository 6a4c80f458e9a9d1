/**
 * Cost-aware thresholds, chosen on validation scores: with labels, the cut that minimises the
 * expected cost cost_fn x FN + cost_fp x FP; without, the cut whose alerts per day meet a budget,
 * which needs the time span the scores cover. Both report what the cut means: alerts per day,
 * and recall and precision where labels exist.
 */
import { DataError, OptionsError } from '../core/errors.js';
import type { Threshold, ThresholdContext, ThresholdSpec } from './threshold.js';

const MS_PER_DAY = 86_400_000;

/** What a cut does on the scores it was chosen on. */
export interface CutStats {
  /** Scores above the cut are alerts. */
  cutoff: number;
  rows: number;
  alerts: number;
  /** Alerts per day of data, when the time span is known. */
  alertsPerDay?: number;
  /** With labels: share of anomalies alerted, share of alerts that are anomalies (absent with no anomalies, no alerts). */
  recall?: number;
  precision?: number;
  falseNegatives?: number;
  falsePositives?: number;
  /** With costs and labels: cost_fn x FN + cost_fp x FP. */
  cost?: number;
}

export interface Costs {
  /** Cost of a missed anomaly. */
  fn: number;
  /** Cost of a false alarm. */
  fp: number;
}

/** Indices of the scores from highest to lowest. */
function descending(scores: ArrayLike<number>): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  for (const i of idx) if (Number.isNaN(scores[i]!)) throw new DataError(`score ${i + 1} is NaN; a threshold needs numbers`);
  return idx.sort((a, b) => scores[b]! - scores[a]!);
}

/** A cut between the k-th and (k+1)-th highest score (k = 0: none above; k = n: all above). */
function cutAfter(scores: ArrayLike<number>, order: number[], k: number): number {
  const n = order.length;
  if (k === 0) return scores[order[0]!]!;
  const lowFlagged = scores[order[k - 1]!]!;
  if (k === n) return lowFlagged - Math.max(1, Math.abs(lowFlagged));
  return (lowFlagged + scores[order[k]!]!) / 2;
}

/**
 * The cut minimising cost_fn x FN + cost_fp x FP on labelled scores (1 = anomaly), over every
 * cut between distinct scores; of equal costs the one with fewer alerts. One sort and one sweep.
 */
export function costCutoff(scores: ArrayLike<number>, labels: ArrayLike<number>, costs: Costs): number {
  checkCosts(costs);
  if (labels.length !== scores.length) throw new DataError(`${labels.length} labels for ${scores.length} scores`);
  const order = descending(scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] ? 1 : 0;
  let bestK = 0;
  let best = costs.fn * positives;
  let tp = 0;
  let fp = 0;
  for (let k = 1; k <= order.length; k++) {
    if (labels[order[k - 1]!]) tp++;
    else fp++;
    // Tied scores are flagged together: only a cut between distinct scores is a threshold.
    if (k < order.length && scores[order[k]!] === scores[order[k - 1]!]) continue;
    const cost = costs.fn * (positives - tp) + costs.fp * fp;
    if (cost < best) {
      best = cost;
      bestK = k;
    }
  }
  return cutAfter(scores, order, bestK);
}

/**
 * The lowest cut with at most perDay x days alerts among the scores (a row per score, the rows
 * covering `days` days): the budget's worth of the highest scores, ties kept together.
 */
export function budgetCutoff(scores: ArrayLike<number>, perDay: number, days: number): number {
  if (!(perDay > 0)) throw new OptionsError(`an alert budget must be above 0 per day, got ${perDay}`);
  if (!(days > 0)) throw new DataError(`an alert budget needs the time span of the data; got ${days} days`);
  const order = descending(scores);
  if (!order.length) throw new DataError('no scores to choose a threshold on');
  let k = Math.min(order.length, Math.floor(perDay * days));
  while (k > 0 && k < order.length && scores[order[k]!] === scores[order[k - 1]!]) k--;
  return cutAfter(scores, order, k);
}

/** What the cut does on these scores: alerts (per day), and with labels recall, precision and cost. */
export function cutStats(
  scores: ArrayLike<number>,
  cutoff: number,
  o: { labels?: ArrayLike<number>; days?: number; costs?: Costs } = {},
): CutStats {
  let alerts = 0;
  let tp = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = scores[i]! > cutoff;
    if (alert) alerts++;
    if (o.labels?.[i]) {
      positives++;
      if (alert) tp++;
    }
  }
  const out: CutStats = { cutoff, rows: scores.length, alerts };
  if (o.days !== undefined && o.days > 0) out.alertsPerDay = alerts / o.days;
  if (o.labels) {
    if (positives) out.recall = tp / positives;
    if (alerts) out.precision = tp / alerts;
    out.falseNegatives = positives - tp;
    out.falsePositives = alerts - tp;
    if (o.costs) out.cost = o.costs.fn * out.falseNegatives + o.costs.fp * out.falsePositives;
  }
  return out;
}

/** The time span of timestamps in milliseconds, in days (NaN ignored); undefined for less than two. */
export function spanDays(ms: ArrayLike<number>): number | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ms.length; i++) {
    const v = ms[i]!;
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? (hi - lo) / MS_PER_DAY : undefined;
}

function checkCosts(c: Costs): void {
  if (!(c.fn > 0 && c.fp > 0)) throw new OptionsError(`costs must be above 0, got fn ${c.fn} and fp ${c.fp}`);
}

export const costThreshold: Threshold<Extract<ThresholdSpec, { kind: 'cost' }>> = {
  kind: 'cost',
  fit: (spec, scores, ctx: ThresholdContext) => {
    if (!ctx.labels) throw new DataError('a cost threshold is chosen on labelled rows: give a label column (--label) or labelled validation data');
    return costCutoff(scores, ctx.labels, spec);
  },
};

export const budgetThreshold: Threshold<Extract<ThresholdSpec, { kind: 'budget' }>> = {
  kind: 'budget',
  fit: (spec, scores, ctx: ThresholdContext) => {
    if (ctx.days === undefined) {
      throw new DataError('an alert budget needs the time span of the data: a timestamp column, or the rows per day (--rows-per-day)');
    }
    return budgetCutoff(scores, spec.perDay, ctx.days);
  },
};
