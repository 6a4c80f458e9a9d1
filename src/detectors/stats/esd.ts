import { DataError } from '../../core/errors.js';
import { studentTSf, studentTUpperQuantile } from '../../core/distributions.js';
import type { Matrix } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { combineRows } from './combine.js';
import { absDeviations } from './deviations.js';

/**
 * Extreme studentized deviate machinery shared by the generalized ESD test (Rosner 1983) and
 * iterated Grubbs' test (Grubbs 1969): both remove the value farthest from the mean one at a time
 * and compare R = max |x - mean| / s (s with n - 1 divisor) against the same critical value.
 */

export interface EsdStep {
  /** Position of the removed value in the input. */
  index: number;
  value: number;
  /** Size of the sample this step tested (n - i + 1 at step i). */
  size: number;
  /** The test statistic max |x - mean| / s over the sample still in play. */
  R: number;
  /** Critical value for R at this step. */
  lambda: number;
  /** Two-sided Grubbs-type p-value of R at this step's sample size (see `esdPValue`). */
  pValue: number;
}

export interface EsdResult {
  steps: EsdStep[];
  /** How many of the first steps are declared outliers. */
  outliers: number;
}

/**
 * Critical value of R for a sample of size m at level alpha (Rosner 1983, eq. 2; NIST/SEMATECH
 * e-Handbook 1.3.5.17.3): lambda = (m - 1) t / sqrt((m - 2 + t^2) m), with t the upper
 * alpha / (2m) point of Student's t on m - 2 degrees of freedom.
 */
export function esdCritical(m: number, alpha: number): number {
  if (m < 3) return NaN;
  const t = studentTUpperQuantile(alpha / (2 * m), m - 2);
  return ((m - 1) * t) / Math.sqrt((m - 2 + t * t) * m);
}

/**
 * p-value of R for a sample of size m: the critical-value formula solved for t,
 * t = sqrt(m (m - 2) R^2 / ((m - 1)^2 - m R^2)), then p = min(1, 2m P(T_{m-2} > t)), the
 * Bonferroni bound that defines the critical value, so p <= alpha exactly when R >= lambda(m, alpha).
 * R cannot exceed (m - 1) / sqrt(m); at that bound t is infinite and p is 0.
 */
export function esdPValue(R: number, m: number): number {
  if (m < 3 || !(R >= 0)) return NaN;
  const den = (m - 1) * (m - 1) - m * R * R;
  if (den <= 0) return 0;
  const t = Math.sqrt((m * (m - 2) * R * R) / den);
  return Math.min(1, 2 * m * studentTSf(t, m - 2));
}

/**
 * Runs up to `maxSteps` removal steps. The value farthest from the mean is always the current
 * minimum or maximum, so the values are sorted once and two ends walk inwards; the sums are
 * downdated instead of recomputed, and recomputed exactly whenever a removal has cancelled most
 * of the sum of squares (a huge outlier leaving), so precision does not depend on the outliers.
 * `stopAtFirstMiss` ends at the first non-significant step (iterated Grubbs).
 */
function esdSteps(values: ArrayLike<number>, maxSteps: number, alpha: number, stopAtFirstMiss: boolean): EsdStep[] {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]!)) throw new DataError(`outlier test: value ${i + 1} is not a finite number`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const sorted = Float64Array.from(order, (i) => values[i]!);
  let lo = 0;
  let hi = n - 1;
  const center = sorted[n >> 1] ?? 0;
  let s1 = 0;
  let s2 = 0;
  let exactS2 = 0;
  const recompute = (): void => {
    s1 = 0;
    s2 = 0;
    for (let k = lo; k <= hi; k++) {
      const v = sorted[k]! - center;
      s1 += v;
      s2 += v * v;
    }
    exactS2 = s2;
  };
  recompute();
  const steps: EsdStep[] = [];
  const limit = Math.min(maxSteps, n - 2);
  for (let i = 0; i < limit; i++) {
    const m = hi - lo + 1;
    const meanOffset = s1 / m;
    const ss = Math.max(0, s2 - s1 * meanOffset);
    const sd = Math.sqrt(ss / (m - 1));
    if (!(sd > 0)) break;
    const mean = center + meanOffset;
    const dLo = mean - sorted[lo]!;
    const dHi = sorted[hi]! - mean;
    const takeHi = dHi >= dLo;
    const k = takeHi ? hi : lo;
    const R = (takeHi ? dHi : dLo) / sd;
    const lambda = esdCritical(m, alpha);
    steps.push({ index: order[k]!, value: sorted[k]!, size: m, R, lambda, pValue: esdPValue(R, m) });
    if (stopAtFirstMiss && !(R > lambda)) break;
    const v = sorted[k]! - center;
    s1 -= v;
    s2 -= v * v;
    if (takeHi) hi--;
    else lo++;
    if (s2 < 1e-6 * exactS2) recompute();
  }
  return steps;
}

export interface EsdOptions {
  /** Upper bound on the number of outliers (at most n - 2 are tested). */
  maxOutliers: number;
  /** Significance level of the whole procedure. */
  alpha?: number;
}

/**
 * Generalized ESD many-outlier test (Rosner 1983): computes R_1..R_k removing the most extreme
 * value each time, and declares the first r values outliers, r the largest i with R_i > lambda_i.
 * Unlike iterated Grubbs it keeps testing after a non-significant step, which is what protects
 * it from masking by a cluster of outliers.
 */
export function generalizedEsd(values: ArrayLike<number>, opts: EsdOptions): EsdResult {
  const alpha = opts.alpha ?? 0.05;
  const steps = esdSteps(values, Math.max(0, Math.floor(opts.maxOutliers)), alpha, false);
  let outliers = 0;
  steps.forEach((s, i) => {
    if (s.R > s.lambda) outliers = i + 1;
  });
  return { steps, outliers };
}

/**
 * Grubbs' test applied repeatedly (Grubbs 1969): remove the most extreme value while it is
 * significant at alpha against the values still in play. The last step is the first one that
 * was not significant (if the loop did not run out of data).
 */
export function iteratedGrubbs(values: ArrayLike<number>, opts: { alpha?: number; maxOutliers?: number } = {}): EsdResult {
  const alpha = opts.alpha ?? 0.05;
  const steps = esdSteps(values, opts.maxOutliers ?? values.length, alpha, true);
  let outliers = 0;
  while (outliers < steps.length && steps[outliers]!.R > steps[outliers]!.lambda) outliers++;
  return { steps, outliers };
}

/**
 * Cutoff on |x - mean| / s for one further value against a clean sample of size m: the value at
 * which Grubbs' test on the m + 1 values (the sample plus x) would reject at `alpha`. For that
 * test the statistic R of x maps monotonically onto the externally studentized deviate
 * t = (x - mean) / (s sqrt(1 + 1/m)) on m - 1 degrees of freedom, so the cutoff is
 * sqrt(1 + 1/m) times the upper alpha / (2(m + 1)) point of t_{m-1}.
 */
export function furtherOutlierCritical(m: number, alpha: number): number {
  if (m < 2) return Infinity;
  return Math.sqrt(1 + 1 / m) * studentTUpperQuantile(alpha / (2 * (m + 1)), m - 1);
}

/** p-value matching `furtherOutlierCritical`: min(1, 2(m + 1) P(T_{m-1} > stat / sqrt(1 + 1/m))). */
export function furtherOutlierPValue(stat: number, m: number): number {
  if (m < 2) return 1;
  return Math.min(1, 2 * (m + 1) * studentTSf(stat / Math.sqrt(1 + 1 / m), m - 1));
}

interface Learned {
  mean: Float64Array;
  sd: Float64Array;
  /** Size of each feature's clean sample. */
  clean: Int32Array;
  /** Each feature's cutoff at alpha / d (Bonferroni over features). */
  critical: Float64Array;
}

/**
 * A detector that runs an outlier test per feature on the training data, keeps the mean and
 * sd of what the test left, and scores new rows by their largest studentized deviate from it.
 * gesd and grubbs differ only in `test`.
 */
export abstract class CleanSampleDetector implements Detector {
  abstract readonly name: string;
  private learned?: Learned;
  constructor(readonly options: { alpha: number } & Record<string, number>) {}

  /** The outlier test run on one feature's training values. */
  protected abstract test(values: Float64Array): EsdResult;

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    if (X.rows < 3) throw new DataError(`${this.name} needs at least 3 rows to test for outliers, got ${X.rows}`);
    const d = X.cols;
    const mean = new Float64Array(d);
    const sd = new Float64Array(d);
    const clean = new Int32Array(d);
    const critical = new Float64Array(d);
    const col = new Float64Array(X.rows);
    const drop = new Uint8Array(X.rows);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < X.rows; i++) col[i] = X.data[i * d + j]!;
      const r = this.test(col);
      drop.fill(0);
      for (let k = 0; k < r.outliers; k++) drop[r.steps[k]!.index] = 1;
      let m = 0;
      let s = 0;
      for (let i = 0; i < X.rows; i++) if (!drop[i]) (s += col[i]!), m++;
      const mu = s / m;
      let ss = 0;
      for (let i = 0; i < X.rows; i++) if (!drop[i]) ss += (col[i]! - mu) ** 2;
      mean[j] = mu;
      // A constant clean sample has no scale; 1 keeps deviations finite, as zscore does.
      sd[j] = Math.sqrt(ss / Math.max(1, m - 1)) || 1;
      clean[j] = m;
      critical[j] = furtherOutlierCritical(m, this.options.alpha / d);
    }
    this.learned = { mean, sd, clean, critical };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return combineRows(await this.explain(X), 'max');
  }

  /** |x - mean| / sd per feature, against each feature's clean training sample. */
  async explain(X: Matrix): Promise<Matrix> {
    const { mean, sd } = fittedOr(this.learned, this.name);
    checkFeatures(this.name, mean.length, X);
    return absDeviations(X, mean, sd);
  }

  /**
   * Per row, the p-value that its most deviant feature is a further outlier: the smallest
   * per-feature `furtherOutlierPValue`, times d for Bonferroni over features.
   */
  async pValues(X: Matrix): Promise<Float64Array> {
    const { clean } = fittedOr(this.learned, this.name);
    const e = await this.explain(X);
    const d = X.cols;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let p = 1;
      for (let j = 0; j < d; j++) p = Math.min(p, furtherOutlierPValue(e.data[i * d + j]!, clean[j]!));
      out[i] = Math.min(1, d * p);
    }
    return out;
  }

  /**
   * The largest per-feature cutoff: a score above it is a further outlier at alpha (Bonferroni
   * over features) whichever feature produced it; features' cutoffs differ only through the
   * sizes of their clean samples.
   */
  naturalThreshold(): number {
    const { critical } = fittedOr(this.learned, this.name);
    let c = 0;
    for (const v of critical) c = Math.max(c, v);
    return c;
  }

  getState(): DetectorState {
    const { mean, sd, clean, critical } = fittedOr(this.learned, this.name);
    return { params: { features: mean.length }, arrays: { mean, sd, clean, critical } };
  }

  setState(s: DetectorState): void {
    stateNumber(s, 'features');
    this.learned = {
      mean: stateArray(s, 'mean', Float64Array),
      sd: stateArray(s, 'sd', Float64Array),
      clean: stateArray(s, 'clean', Int32Array),
      critical: stateArray(s, 'critical', Float64Array),
    };
  }
}
