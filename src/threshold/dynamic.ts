/**
 * Telemanom's non-parametric dynamic threshold (Hundman, Constantinou, Laporte, Colwell &
 * Soderstrom 2018, KDD, "Detecting Spacecraft Anomalies Using LSTMs and Nonparametric Dynamic
 * Thresholding"). It needs no labels and no distributional assumption: among the
 * candidates ε = μ(e_s) + z σ(e_s) it picks the one whose removal of the points above it shrinks
 * the mean and spread of the smoothed errors the most, per flagged point and (squared) per
 * flagged sequence, so a few compact anomalous sequences beat many scattered points:
 *
 *   ε = argmax (Δμ(e_s)/μ(e_s) + Δσ(e_s)/σ(e_s)) / (|e_a| + |E_seq|²)
 *
 * with Δμ = μ(e_s) - μ({e_s ≤ ε}), Δσ likewise, e_a = {e_s > ε}, E_seq the runs of e_a.
 *
 * Scope: the paper applies this per window of errors and then prunes sequences whose maximum
 * error is within p of the next one (its anomaly pruning); Telemanom's code also pads flagged points by
 * an error buffer and rejects candidates with more than 5 sequences or 50% of points flagged.
 * This is the threshold selection alone, on the series given: window it and prune as you need.
 */
import { OptionsError } from '../core/errors.js';
import { ewma } from '../core/ewma.js';
import { mean, std } from '../core/stats.js';
import { toRanges, type Range } from '../evaluate/ranges.js';

export interface DynamicThresholdOptions {
  /**
   * EWMA span for smoothing the errors. Default: 5% of the series length (at least 1), after
   * Telemanom's smoothing_perc = 0.05 of its error window.
   */
  span?: number;
  /** Candidate z values from zMin to zMax in steps of zStep; default 2 to 10 by 0.5, the range the paper reports working well. */
  zMin?: number;
  zMax?: number;
  zStep?: number;
  /** Skip smoothing: `errors` are already the smoothed e_s. */
  smoothed?: boolean;
}

export interface DynamicThresholdResult {
  /** ε: smoothed errors above it are anomalous. */
  threshold: number;
  /** The z of the chosen ε, i.e. (ε - μ) / σ. */
  z: number;
  /** The objective at ε; NaN when no candidate flags anything. */
  score: number;
  /** The smoothed errors e_s the threshold applies to. */
  smoothed: Float64Array;
  /** Flagged sequences E_seq as inclusive [start, end] row ranges. */
  sequences: Range[];
}

/**
 * Chooses ε for a series of prediction errors (|y - ŷ|, or any non-negative anomaly score).
 * Ties between candidates go to the larger z, which flags less. When no candidate flags a point,
 * ε is μ + zMax σ and no sequence is returned.
 */
export function dynamicThreshold(errors: ArrayLike<number>, o: DynamicThresholdOptions = {}): DynamicThresholdResult {
  const zMin = o.zMin ?? 2;
  const zMax = o.zMax ?? 10;
  const zStep = o.zStep ?? 0.5;
  if (!(zMin > 0 && zMax >= zMin && zStep > 0)) {
    throw new OptionsError(`dynamic threshold: need 0 < zMin <= zMax and zStep > 0, got ${zMin}, ${zMax}, ${zStep}`);
  }
  const span = o.span ?? Math.max(1, Math.round(0.05 * errors.length));
  if (!(span >= 1)) throw new OptionsError(`dynamic threshold: span must be >= 1, got ${span}`);
  const es = o.smoothed ? Float64Array.from(errors) : ewma(errors, span);
  const mu = mean(es);
  const sd = std(es, 0, mu);

  let best = { threshold: mu + zMax * sd, z: zMax, score: NaN };
  if (sd > 0 && mu !== 0) {
    const steps = Math.floor((zMax - zMin) / zStep + 1e-9);
    for (let k = 0; k <= steps; k++) {
      const z = zMin + k * zStep;
      const eps = mu + z * sd;
      const score = objective(es, eps, mu, sd);
      if (!Number.isNaN(score) && !(score < best.score)) best = { threshold: eps, z, score };
    }
  }
  const flagged = Uint8Array.from(es, (v) => (v > best.threshold ? 1 : 0));
  return { ...best, smoothed: es, sequences: Number.isNaN(best.score) ? [] : toRanges(flagged) };
}

/** The paper's criterion at ε; NaN when nothing is above ε. */
function objective(es: Float64Array, eps: number, mu: number, sd: number): number {
  let n = 0;
  let sum = 0;
  let anomalies = 0;
  let sequences = 0;
  let inRun = false;
  for (let i = 0; i < es.length; i++) {
    const v = es[i]!;
    if (Number.isNaN(v)) {
      inRun = false;
      continue;
    }
    if (v > eps) {
      anomalies++;
      if (!inRun) sequences++;
      inRun = true;
    } else {
      n++;
      sum += v;
      inRun = false;
    }
  }
  if (anomalies === 0) return NaN;
  const keptMean = n ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < es.length; i++) {
    const v = es[i]!;
    if (v <= eps) ss += (v - keptMean) * (v - keptMean);
  }
  const keptSd = n ? Math.sqrt(ss / n) : 0;
  return ((mu - keptMean) / mu + (sd - keptSd) / sd) / (anomalies + sequences * sequences);
}
