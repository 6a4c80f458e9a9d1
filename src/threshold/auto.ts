import { MAD_TO_SD, mad, median } from '../core/stats.js';
import type { Threshold, ThresholdSpec } from './threshold.js';

type Spec = Extract<ThresholdSpec, { kind: 'auto' }>;

/** How many robust standard deviations above the median training score count as anomalous. */
export const AUTO_ROBUST_Z = 3;

/**
 * The documented `auto` rule: the detector's own label-free cutoff where it has one (a test's
 * critical value, a z cutoff, a chi-square quantile); otherwise the training scores' median plus
 * 3 robust standard deviations (1.4826 x MAD), i.e. a robust z-score above 3 on the scores.
 */
export const autoThreshold: Threshold<Spec> = {
  kind: 'auto',
  fit: (_spec, scores, ctx) => {
    if (ctx.natural !== undefined && Number.isFinite(ctx.natural)) return ctx.natural;
    const m = median(scores);
    const spread = MAD_TO_SD * mad(scores, m);
    return m + AUTO_ROBUST_Z * (spread > 0 ? spread : Math.abs(m) * 1e-9 || Number.EPSILON);
  },
};
