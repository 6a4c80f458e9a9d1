import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { matrix, type Matrix, rowSums } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { lowerBound, upperBound } from '../../core/search.js';

const schema = z.object({});

interface Learned {
  /** Training values sorted per feature, feature-major: feature j at [j * n, (j + 1) * n). */
  sorted: Float64Array;
  /** Sign of each feature's training skewness: -1, 0 or 1. */
  skewSign: Float64Array;
  rows: number;
  features: number;
}

/** Sign of the (biased, scipy.stats.skew) sample skewness; 0 for a constant feature. */
function skewSign(v: Float64Array): number {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i]!;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const t = v[i]! - mean;
    m2 += t * t;
    m3 += t * t * t;
  }
  // Only the sign is used and m2 > 0 scales it positively; a constant feature has none.
  if (!(m2 > 0)) return 0;
  return Math.sign(m3);
}


/**
 * ECOD, inductive: each feature's empirical CDF is learned from the training rows alone, so a
 * row's score never depends on the rest of its batch (PyOD instead pools the scored batch with
 * the training data).
 */
class Ecod implements Detector {
  readonly name = 'ecod';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    const n = X.rows;
    const d = X.cols;
    if (n < 1) throw new DataError('ecod needs at least one row');
    const sorted = new Float64Array(n * d);
    const sign = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const col = sorted.subarray(j * n, (j + 1) * n);
      for (let i = 0; i < n; i++) col[i] = X.data[i * d + j]!;
      sign[j] = skewSign(col);
      col.sort();
    }
    this.learned = { sorted, skewSign: sign, rows: n, features: d };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return rowSums(await this.explain(X));
  }

  /**
   * Per feature, the tail score max(-log F_left, -log F_right, skewness-chosen tail) of Li et
   * al. (2022). The tail probabilities count the scored value itself among the training values,
   * (#{train <= x} + 1) / (n + 1) and likewise for >=, which is PyOD's ECDF over the training
   * rows plus this one row: never 0, so an unseen extreme costs log(n + 1), not infinity, and a
   * tie with training values counts as reaching them. The skewness-chosen tail is one of the
   * other two whenever the skewness is non-zero, so it only matters at zero skewness (e.g. a
   * constant feature), where PyOD's sign formula adds both tails; kept for parity with PyOD.
   */
  async explain(X: Matrix): Promise<Matrix> {
    const { sorted, skewSign: sign, rows: n, features: d } = fittedOr(this.learned, this.name);
    checkFeatures('ecod', d, X);
    const out = matrix(X.rows, d);
    const logN1 = Math.log(n + 1);
    for (let j = 0; j < d; j++) {
      const s = j * n;
      const e = s + n;
      const sk = sign[j]!;
      for (let i = 0; i < X.rows; i++) {
        const x = X.data[i * d + j]!;
        const ul = logN1 - Math.log((upperBound(sorted, x, s, e) - s) + 1);
        const ur = logN1 - Math.log(n - (lowerBound(sorted, x, s, e) - s) + 1);
        const us = sk < 0 ? ul : sk > 0 ? ur : ul + ur;
        out.data[i * d + j] = Math.max(us, ul, ur);
      }
    }
    return out;
  }

  getState(): DetectorState {
    const { sorted, skewSign: sign, rows, features } = fittedOr(this.learned, this.name);
    return { params: { rows, features }, arrays: { sorted, skewSign: sign } };
  }

  setState(s: DetectorState): void {
    const rows = stateNumber(s, 'rows');
    const features = stateNumber(s, 'features');
    const sorted = stateArray(s, 'sorted', Float64Array);
    const sign = stateArray(s, 'skewSign', Float64Array);
    if (sorted.length !== rows * features || sign.length !== features) {
      throw new FormatError('ecod: saved arrays do not match rows x features');
    }
    this.learned = { sorted, skewSign: sign, rows, features };
  }
}

export const ecod = defineDetector(
  {
    name: 'ecod',
    family: 'classical',
    summary: 'ECOD: summed per-feature empirical-CDF tail scores, with CDFs learned from the training rows only',
    citation:
      'Li, Zhao, Hu, Botta, Ionescu & Chen, ECOD: Unsupervised Outlier Detection Using Empirical Cumulative Distribution Functions, IEEE TKDE 35(12) (2023; arXiv 2201.00382, 2022)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Ecod(o),
);
