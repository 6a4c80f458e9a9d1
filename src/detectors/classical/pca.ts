import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { centered, columnMeans, principalAxes, productTransposed, transpose } from '../../core/linalg.js';
import { matrix, type Matrix, rowSums } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';

/*
 * No eigenvalue-weighted ("PyOD-style") variant: the sum over all components of squared
 * projection / eigenvalue is the squared Mahalanobis distance, which the `mahalanobis` detector
 * already gives (same ranking). On the 17 ODDS sets (3 seeded 60/40 splits) it scores mean ROC
 * 0.802 against 0.719 for this reconstruction error, so users after that ranking should pick
 * `mahalanobis`; this detector stays the distinct subspace-residual method.
 */
const schema = z.object({
  /** Keep the fewest leading components whose share of the variance exceeds this. */
  variance: z.number().gt(0).max(1).default(0.9).describe('Keep the fewest leading components whose share of the variance exceeds this.'),
  /** Keep exactly this many components (capped at the feature count) instead of `variance`. */
  components: z.number().int().min(1).optional().describe('Keep exactly this many components (capped at the feature count) instead of `variance`.'),
});

interface Learned {
  mean: Float64Array;
  /** Eigenvalues of the training covariance, largest first (negatives from rounding clipped to 0). */
  values: Float64Array;
  /** The kept eigenvectors as rows, kept x d, row m belongs to values[m]. */
  vectors: Float64Array;
  /** Leading components kept for the reconstruction. */
  kept: number;
  features: number;
}

/**
 * The number of components scikit-learn's PCA(n_components=variance) keeps: the first k whose
 * cumulative explained-variance ratio exceeds `variance` (all of them if none does).
 */
export function componentsFor(values: ArrayLike<number>, variance: number): number {
  let total = 0;
  for (let m = 0; m < values.length; m++) total += values[m]!;
  if (!(total > 0)) return 0;
  let cum = 0;
  for (let m = 0; m < values.length; m++) {
    cum += values[m]!;
    if (cum / total > variance) return m + 1;
  }
  return values.length;
}

/** Principal component analysis: squared distance of a row from the subspace of the leading components. */
class Pca implements Detector {
  readonly name = 'pca';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    if (X.rows < 2) throw new DataError(`pca needs at least 2 rows to estimate a covariance, got ${X.rows}`);
    const d = X.cols;
    const mean = columnMeans(X);
    const { components, variance } = this.options;
    const pick = (values: Float64Array): number => (components !== undefined ? Math.min(components, d) : componentsFor(values, variance));
    const { values, vectors, kept } = principalAxes(centered(X, mean), X.rows, d, pick);
    this.learned = { mean, values, vectors, kept, features: d };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return rowSums(await this.explain(X));
  }

  /**
   * The squared residual of each feature after projecting onto the kept components. The residual
   * is formed explicitly rather than as |x|^2 - |projection|^2, which cancels badly for rows near
   * the subspace.
   */
  async explain(X: Matrix): Promise<Matrix> {
    const { mean, vectors, kept, features: d } = fittedOr(this.learned, this.name);
    checkFeatures('pca', d, X);
    const n = X.rows;
    const xc = centered(X, mean);
    // Projections Y = Xc V^T (n x kept), reconstructions Y V = Y (V^T)^T, both as row dot products.
    const projections = productTransposed(xc, n, vectors, kept, d);
    const out = productTransposed(projections, n, transpose(vectors, kept, d), d, kept);
    for (let k = 0; k < out.length; k++) out[k] = (xc[k]! - out[k]!) ** 2;
    return matrix(n, d, out);
  }

  getState(): DetectorState {
    const { mean, values, vectors, kept, features } = fittedOr(this.learned, this.name);
    return { params: { kept, features }, arrays: { mean, values, vectors } };
  }

  setState(s: DetectorState): void {
    const kept = stateNumber(s, 'kept');
    const features = stateNumber(s, 'features');
    const mean = stateArray(s, 'mean', Float64Array);
    const values = stateArray(s, 'values', Float64Array);
    const vectors = stateArray(s, 'vectors', Float64Array);
    if (!(Number.isInteger(kept) && kept >= 0 && kept <= features)) throw new FormatError(`pca: saved component count ${kept} is invalid`);
    if (mean.length !== features || values.length !== features || vectors.length !== kept * features) {
      throw new FormatError('pca: saved arrays do not match the feature count');
    }
    this.learned = { mean, values, vectors, kept, features };
  }
}

export const pca = defineDetector(
  {
    name: 'pca',
    family: 'classical',
    summary: 'PCA reconstruction error: squared distance from the subspace of the components explaining 90% of the variance',
    citation:
      'Shyu, Chen, Sarinnapakorn & Chang, A Novel Anomaly Detection Scheme Based on Principal Component Classifier, ICDM Foundation and New Direction of Data Mining Workshop (2003); Jolliffe, Principal Component Analysis, 2nd ed. (2002), sec. 10.1',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Pca(o),
);
