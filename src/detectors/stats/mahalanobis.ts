import { z } from 'zod';
import { chiSquareQuantile } from '../../core/distributions.js';
import { DataError, FormatError } from '../../core/errors.js';
import { PINV_RCOND, centered, choleskyInverse, columnMeans, covariance, productTransposed, symmetricPinv } from '../../core/linalg.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';

const schema = z.object({
  /**
   * Added to the covariance diagonal, as a fraction of the mean feature variance, so that
   * near-collinear features do not blow the inverse up.
   */
  ridge: z.number().min(0).default(1e-6).describe('Added to the covariance diagonal, as a fraction of the mean feature variance, so that near-collinear features do not blow the inverse up.'),
  /** Tail probability of the `auto` threshold (chi-square with d degrees of freedom). */
  alpha: z.number().gt(0).lt(1).default(0.01).describe('Tail probability of the `auto` threshold (chi-square with d degrees of freedom).'),
});

interface Learned {
  mean: Float64Array;
  /** (Pseudo-)inverse of the regularized covariance, d x d row-major. */
  precision: Float64Array;
}

/** Distance from the training mean in units of the training covariance. */
class Mahalanobis implements Detector {
  readonly name = 'mahalanobis';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    if (X.rows < 2) throw new DataError(`mahalanobis needs at least 2 rows to estimate a covariance, got ${X.rows}`);
    const d = X.cols;
    const mean = columnMeans(X);
    const cov = covariance(X, mean, 1);
    let trace = 0;
    for (let j = 0; j < d; j++) trace += cov[j * d + j]!;
    const add = (this.options.ridge * trace) / Math.max(1, d);
    for (let j = 0; j < d; j++) cov[j * d + j]! += add;
    // The ridge puts every eigenvalue at `add` or above; when that clears the pseudo-inverse's
    // cutoff (the largest eigenvalue is at most trace + add), the pseudo-inverse is the inverse,
    // and Cholesky gives it at a fraction of an eigen-decomposition's cost.
    const invertible = add > PINV_RCOND * (trace + add);
    this.learned = { mean, precision: (invertible && choleskyInverse(cov, d)) || symmetricPinv(cov, d) };
  }

  async score(X: Matrix): Promise<Float64Array> {
    const e = await this.explain(X);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += e.data[i * X.cols + j]!;
      // The quadratic form is >= 0 in exact arithmetic; rounding can dip just below.
      out[i] = Math.sqrt(Math.max(0, s));
    }
    return out;
  }

  /**
   * (x - mu)_j (S^-1 (x - mu))_j per feature: the terms of the squared distance, so they sum to
   * the score squared; a term is negative when the feature's deviation is explained by a
   * correlated one.
   */
  async explain(X: Matrix): Promise<Matrix> {
    const { mean, precision } = fittedOr(this.learned, this.name);
    const d = mean.length;
    checkFeatures('mahalanobis', d, X);
    const c = centered(X, mean);
    // (S^-1 c)_j for every row c at once: the rows of C S^-1, S^-1 being symmetric.
    const out = productTransposed(c, X.rows, precision, d, d);
    for (let k = 0; k < out.length; k++) out[k]! *= c[k]!;
    return matrix(X.rows, d, out);
  }

  /**
   * sqrt of the chi-square (d degrees of freedom) quantile at 1 - alpha: the distance a
   * Gaussian row exceeds with probability alpha. Exact quantile, but d counts every feature
   * even when the covariance is singular and the pseudo-inverse spans fewer directions.
   */
  naturalThreshold(): number {
    const d = fittedOr(this.learned, this.name).mean.length;
    return Math.sqrt(chiSquareQuantile(1 - this.options.alpha, d));
  }

  getState(): DetectorState {
    const { mean, precision } = fittedOr(this.learned, this.name);
    return { params: { features: mean.length }, arrays: { mean, precision } };
  }

  setState(s: DetectorState): void {
    const d = stateNumber(s, 'features');
    const mean = stateArray(s, 'mean', Float64Array);
    const precision = stateArray(s, 'precision', Float64Array);
    if (mean.length !== d || precision.length !== d * d) throw new FormatError('mahalanobis: saved arrays do not match the feature count');
    this.learned = { mean, precision };
  }
}

export const mahalanobis = defineDetector(
  {
    name: 'mahalanobis',
    family: 'stats',
    summary: 'Mahalanobis distance from the training mean under the training covariance (ridge-regularized)',
    citation: 'Mahalanobis, On the Generalised Distance in Statistics, Proc. National Institute of Sciences of India 2:49-55 (1936)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Mahalanobis(o),
);
