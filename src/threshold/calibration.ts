/**
 * Calibrated scores: the estimated probability that a normal row scores at least this high (an
 * upper-tail p-value), the same scale for every detector. The body is the empirical distribution
 * of calibration scores, kept as up to CALIBRATION_KNOTS quantiles and interpolated linearly;
 * above a high quantile t the tail is peaks over threshold (Siffer et al. 2017): a GPD fitted to
 * the excesses over t, so p keeps falling smoothly beyond the largest calibration score, below
 * 1/n, where an empirical p-value would stop at 1/n.
 */
import { z } from 'zod';
import { DataError } from '../core/errors.js';
import { quantileSorted } from '../core/stats.js';
import { fitGpd } from './gpd.js';
import { POT_DEFAULT_LEVEL, POT_MIN_PEAKS } from './pot.js';
import type { Threshold, ThresholdSpec } from './threshold.js';

/** Quantiles kept of the body: the interpolation error is far below the sampling error of n scores. */
export const CALIBRATION_KNOTS = 257;

/** Fewest calibration scores: 2 x POT_MIN_PEAKS above a tail quantile no lower than the median. */
export const CALIBRATION_MIN_SCORES = 4 * POT_MIN_PEAKS;

/** The fitted calibrator: plain JSON, saved in the model file. */
export const calibrationStateSchema = z
  .object({
    /** Number of calibration scores. */
    n: z.number().int().min(1),
    /** Ascending scores at levels 0, 1/(k-1), ..., 1 of the calibration scores (k knots). */
    knots: z.array(z.number().finite()).min(2),
    /** Tail start: the `level` quantile; p(t) = 1 - level. */
    t: z.number().finite(),
    level: z.number().gt(0).lt(1),
    /** GPD shape (>= 0: see fitCalibration) and scale of the excesses over t. */
    gamma: z.number().min(0).finite(),
    sigma: z.number().gt(0).finite(),
  })
  .strict();
export type CalibrationState = z.infer<typeof calibrationStateSchema>;

export interface CalibrationOptions {
  /** Quantile where the GPD tail takes over (default 0.98, lowered for few scores). */
  level?: number;
}

/**
 * Fits the calibrator to scores of normal rows (non-finite scores are left out). The tail's shape
 * is never taken as bounded (γ < 0): a bounded fit says a score past its endpoint is impossible
 * (p = 0), which for a new kind of anomaly is exactly wrong; there the exponential tail (γ = 0,
 * σ = mean excess, its maximum-likelihood fit) is used instead, which errs towards larger p,
 * so towards fewer pages.
 */
export function fitCalibration(scores: ArrayLike<number>, opts: CalibrationOptions = {}): CalibrationState {
  const finite: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i]!)) finite.push(scores[i]!);
  const n = finite.length;
  if (n < CALIBRATION_MIN_SCORES) {
    throw new DataError(`${n} finite scores are too few to calibrate (at least ${CALIBRATION_MIN_SCORES} are needed)`);
  }
  const sorted = Float64Array.from(finite).sort();
  const k = Math.min(CALIBRATION_KNOTS, n);
  const knots = Array.from({ length: k }, (_, i) => quantileSorted(sorted, i / (k - 1)));
  let level = Math.min(opts.level ?? POT_DEFAULT_LEVEL, 1 - (2 * POT_MIN_PEAKS) / n);
  let t = quantileSorted(sorted, level);
  let first = n;
  while (first > 0 && sorted[first - 1]! > t) first--;
  // Ties at t (a score that takes one value often) leave too few excesses: start the tail lower.
  while (n - first < POT_MIN_PEAKS && level > 0.5) {
    level = Math.max(0.5, level - 0.02);
    t = quantileSorted(sorted, level);
    while (first > 0 && sorted[first - 1]! > t) first--;
  }
  const peaks = n - first;
  const excess = new Float64Array(peaks);
  for (let i = 0; i < peaks; i++) excess[i] = sorted[first + i]! - t;
  let gamma = 0;
  let sigma = peaks ? excess.reduce((a, b) => a + b, 0) / peaks : 0;
  if (peaks >= 2) {
    const fit = fitGpd(excess);
    if (fit.gamma > 0) ({ gamma, sigma } = fit);
  }
  if (!(sigma > 0)) {
    // All scores above t are equal (or none exist): any scale is a guess; the body's spread is one.
    const spread = sorted[n - 1]! - sorted[0]!;
    sigma = spread > 0 ? spread / n : Math.max(Math.abs(t), 1) * 1e-9;
  }
  return { n, knots, t, level, gamma, sigma };
}

/**
 * The upper-tail p-value of `score` under a calibrator: in (0, 1], non-increasing in the score,
 * continuous at the tail start. NaN for NaN.
 */
export function exceedanceOf(c: CalibrationState, score: number): number {
  if (Number.isNaN(score)) return NaN;
  if (score > c.t) {
    const y = (score - c.t) / c.sigma;
    const tail = c.gamma === 0 ? Math.exp(-y) : Math.pow(1 + c.gamma * y, -1 / c.gamma);
    return Math.max(Number.MIN_VALUE, (1 - c.level) * tail);
  }
  const k = c.knots;
  if (score <= k[0]!) return 1;
  // The first knot at or above the score; the CDF level is interpolated between it and the one before.
  let lo = 0;
  let hi = k.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (k[mid]! < score) lo = mid;
    else hi = mid;
  }
  const step = 1 / (k.length - 1);
  const width = k[hi]! - k[lo]!;
  const cdf = (lo + (width > 0 ? (score - k[lo]!) / width : 1)) * step;
  return Math.min(1, Math.max(1 - c.level, 1 - cdf));
}

/** p-values of many scores. */
export function exceedances(c: CalibrationState, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = exceedanceOf(c, scores[i]!);
  return out;
}

/**
 * The score whose p-value is `p` (the inverse of exceedanceOf): for p below the tail share the
 * GPD quantile, else the body's interpolated quantile. Scores strictly above it have p-values
 * below p.
 */
export function scoreAtExceedance(c: CalibrationState, p: number): number {
  if (!(p > 0 && p <= 1)) throw new DataError(`an exceedance probability must be in (0, 1], got ${p}`);
  const tail = 1 - c.level;
  if (p <= tail) {
    const l = Math.log(p / tail);
    return c.gamma === 0 ? c.t - c.sigma * l : c.t + (c.sigma / c.gamma) * Math.expm1(-c.gamma * l);
  }
  return quantileSorted(c.knots, 1 - p);
}

/**
 * The Kolmogorov-Smirnov distance of p-values from the uniform distribution on (0, 1): p-values
 * of fresh normal rows should be close to uniform, the check of a calibrator.
 */
export function ksUniform(p: ArrayLike<number>): number {
  const s = Float64Array.from(p).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) d = Math.max(d, Math.abs(s[i]! - i / s.length), Math.abs(s[i]! - (i + 1) / s.length));
  return d;
}

/** Whether a saved value is a calibrator (older model files have none). */
export function parseCalibration(value: unknown): CalibrationState | undefined {
  const r = calibrationStateSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** The `exceedance` threshold kind: scores above it have calibrated p-values below spec.p. */
export const exceedanceThreshold: Threshold<Extract<ThresholdSpec, { kind: 'exceedance' }>> = {
  kind: 'exceedance',
  fit: (spec, scores, ctx) => scoreAtExceedance(ctx.calibration ?? fitCalibration(scores), spec.p),
};
