import { finiteSorted, quantileSorted, std } from '../core/stats.js';
import type { Threshold, ThresholdSpec } from './threshold.js';

type Spec = Extract<ThresholdSpec, { kind: 'auto' }>;

/** How many interquartile ranges above the upper quartile a score must lie: Tukey's "far out". */
export const AUTO_FENCE_IQR = 3;

/** The largest share of training rows `auto` flags: beyond it a "rule" is describing a mode, not anomalies. */
export const AUTO_MAX_RATE = 0.05;

/** The interquartile range of a normal distribution in standard deviations. */
const NORMAL_IQR_SD = 1.3489795003921634;

/** Which part of the rule set the cutoff: the detector's own cutoff, the fence, or the cap. */
export type AutoRule = 'detector' | 'fence' | 'cap';

export interface AutoCutoff {
  cutoff: number;
  rule: AutoRule;
}

/**
 * The documented `auto` rule, in two steps.
 * 1. The detector's own label-free cutoff where its scores have one (a test's critical value, a z
 *    cutoff, a chi-square quantile, a probability of 0.5); otherwise Tukey's far-out fence on the
 *    training scores, Q3 + 3 x IQR. Most scores are distances or reconstruction errors, skewed to
 *    the right: a symmetric rule (median + 3 robust sd) flagged 10-16% of clean rows for knn,
 *    deep-svdd or pca on skewed data, while the quartiles assume no symmetry and a few planted
 *    outliers barely move them. When the quartiles coincide (most scores tied), the spread is the
 *    IQR a normal with the scores' standard deviation would have.
 * 2. Never below the (1 - 5%) quantile of the training scores: when a test's assumptions fail
 *    (robust z on one-hot columns) or the scores have a second mode (pca's residuals per category),
 *    step 1 can flag a quarter of ordinary rows, and that is a mode the detector does not model,
 *    not an anomaly.
 */
export function autoCutoff(scores: ArrayLike<number>, natural: number | undefined): AutoCutoff {
  const s = finiteSorted(scores);
  const own = natural !== undefined && Number.isFinite(natural);
  const first = own ? natural : farOutFence(s);
  const cap = quantileSorted(s, 1 - AUTO_MAX_RATE);
  if (cap > first) return { cutoff: cap, rule: 'cap' };
  return { cutoff: first, rule: own ? 'detector' : 'fence' };
}

export const autoThreshold: Threshold<Spec> = {
  kind: 'auto',
  fit: (_spec, scores, ctx) => autoCutoff(scores, ctx.natural).cutoff,
};

/** Q3 + 3 IQR of sorted finite scores. */
function farOutFence(sorted: Float64Array): number {
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const spread = iqr > 0 ? iqr : NORMAL_IQR_SD * std(sorted);
  return q3 + AUTO_FENCE_IQR * spread;
}
