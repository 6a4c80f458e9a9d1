/**
 * Peaks-over-threshold (POT), the batch half of SPOT (Siffer, Fouque, Termier & Largouet 2017,
 * KDD, "Anomaly Detection in Streams with Extreme Value Theory", the POT algorithm):
 * take an initial threshold t at a high empirical quantile of calibration scores, fit a GPD to
 * the excesses over t, and read off the score z_q exceeded with probability q. Unlike a
 * contamination quantile, q can be far smaller than 1/n: the GPD extrapolates the tail.
 */
import { DataError, OptionsError } from '../core/errors.js';
import { quantileSorted } from '../core/stats.js';
import { fitGpd, potQuantile } from './gpd.js';
import type { Threshold, ThresholdSpec } from './threshold.js';

/** Defaults from the paper's experiments: risk 1e-4, initial threshold at the 98% quantile. */
export const POT_DEFAULT_Q = 1e-4;
export const POT_DEFAULT_LEVEL = 0.98;

/**
 * Fewest excesses a GPD fit is attempted on. Two parameters from fewer than about ten points are
 * noise; a clear error beats a threshold that moves by orders of magnitude between runs.
 */
export const POT_MIN_PEAKS = 10;

export interface PotOptions {
  /** Target risk: the probability that a normal score exceeds the threshold. */
  q?: number;
  /** Quantile of the calibration scores used as the initial threshold t. */
  level?: number;
}

export interface PotResult {
  /** z_q: scores above it are anomalies. */
  threshold: number;
  /** The initial threshold (the `level` quantile). */
  t: number;
  gamma: number;
  sigma: number;
  /** Number of calibration scores strictly above t (N_t). */
  peaks: number;
  /** Number of calibration scores (n). */
  n: number;
}

export function checkPotOptions(q: number, level: number): void {
  if (!(q > 0 && q < 1)) throw new OptionsError(`pot: q must be in (0, 1), got ${q}`);
  if (!(level > 0 && level < 1)) throw new OptionsError(`pot: level must be in (0, 1), got ${level}`);
}

/**
 * The POT threshold of calibration `scores`. The initial threshold is the `level` quantile with
 * linear interpolation (as every other quantile in Vigil); the excesses are the scores strictly
 * above it. q must be below the share of excesses, since the fitted tail says nothing below t.
 */
export function potThreshold(scores: ArrayLike<number>, { q = POT_DEFAULT_Q, level = POT_DEFAULT_LEVEL }: PotOptions = {}): PotResult {
  checkPotOptions(q, level);
  const sorted = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (!Number.isFinite(v)) throw new DataError(`pot: score ${i + 1} is ${v}; calibration scores must be finite numbers`);
    sorted[i] = v;
  }
  sorted.sort();
  const n = sorted.length;
  const t = quantileSorted(sorted, level);
  // sorted is ascending, so the excesses are a suffix.
  let first = n;
  while (first > 0 && sorted[first - 1]! > t) first--;
  const peaks = n - first;
  if (peaks < POT_MIN_PEAKS) {
    throw new DataError(
      `pot: ${peaks} of ${n} scores lie above the ${level} quantile; at least ${POT_MIN_PEAKS} are needed to fit the tail ` +
        '(give more calibration scores or a lower level)',
    );
  }
  if (!(q < peaks / n)) {
    throw new OptionsError(`pot: q = ${q} is not below the share of scores above the initial threshold (${peaks}/${n}); lower q or level`);
  }
  const excesses = new Float64Array(peaks);
  for (let i = 0; i < peaks; i++) excesses[i] = sorted[first + i]! - t;
  const fit = fitGpd(excesses);
  return { threshold: potQuantile(t, fit, q, n, peaks), t, gamma: fit.gamma, sigma: fit.sigma, peaks, n };
}

type Spec = Extract<ThresholdSpec, { kind: 'pot' }>;

/** The `pot` threshold kind: POT fitted on the training scores. */
export const potThresholdKind: Threshold<Spec> = {
  kind: 'pot',
  fit: (spec, scores) => potThreshold(scores, { q: spec.q, level: spec.level }).threshold,
};

/**
 * The spec to fit on `n` scores: for peaks over threshold with fewer than 2 x POT_MIN_PEAKS
 * scores above the initial quantile, that quantile is lowered until there are as many (short
 * series, stream warm-ups and refit buffers hold a few hundred scores, not thousands); other
 * specs as given. Too few scores for any quantile stays a DataError.
 */
export function specForCount(spec: ThresholdSpec, n: number): ThresholdSpec {
  if (spec.kind !== 'pot') return spec;
  const level = Math.min(spec.level, 1 - (2 * POT_MIN_PEAKS) / n);
  if (!(level > 0)) throw new DataError(`${n} scores are too few to fit a peaks-over-threshold threshold (give more data, or a contamination threshold)`);
  return { ...spec, level };
}
