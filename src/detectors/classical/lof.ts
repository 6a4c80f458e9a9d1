import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { neighborIndex, type NeighborIndex, type Neighbors } from './neighbors.js';

const schema = z.object({
  /** Neighbourhood size; capped at the training rows minus one. */
  nNeighbors: z.number().int().min(1).default(20).describe('Neighbourhood size; capped at the training rows minus one.'),
  /** Neighbour search strategy; `auto` uses a k-d tree up to 16 features, a plain scan above. */
  search: z.enum(['auto', 'kdtree', 'brute']).default('auto').describe('Neighbour search strategy; `auto` uses a k-d tree up to 16 features, a plain scan above.'),
  /**
   * Score above which a row is anomalous when the threshold is `auto`; unset, `auto` uses the
   * far-out fence of the training scores (see threshold/auto.ts).
   */
  cutoff: z.number().positive().optional().describe('Score above which a row is anomalous when the threshold is `auto`; unset, `auto` uses the far-out fence of the training scores (see threshold/auto.ts).'),
});

/**
 * Added to the mean reachability distance before inverting, as scikit-learn does, so that
 * duplicated rows (mean reachability 0) get a huge but finite density.
 */
const EPS = 1e-10;

interface Learned {
  train: Matrix;
  k: number;
  /** Distance from each training row to its k-th nearest other training row. */
  kDist: Float64Array;
  /** Local reachability density of each training row, its own neighbours excluding itself. */
  lrd: Float64Array;
  index: NeighborIndex;
}

/** 1 / (mean reach-dist_k(x, o) + EPS) over the k neighbours o of each query row. */
function densities(nb: Neighbors, rows: number, kDist: Float64Array): Float64Array {
  const k = nb.k;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * k; j < (i + 1) * k; j++) s += Math.max(nb.distances[j]!, kDist[nb.indices[j]!]!);
    out[i] = 1 / (s / k + EPS);
  }
  return out;
}

/**
 * Local Outlier Factor in novelty mode: the training rows' densities are fixed at fit time and a
 * scored row is compared with its training neighbours only, so scores never depend on the batch.
 */
class Lof implements Detector {
  readonly name = 'lof';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    if (X.rows < 2) throw new DataError(`lof needs at least 2 training rows, got ${X.rows}`);
    const train = matrix(X.rows, X.cols, Float64Array.from(X.data));
    const k = Math.min(this.options.nNeighbors, X.rows - 1);
    const index = neighborIndex(train, this.options.search);
    const nb = index.querySelf(k);
    const kDist = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) kDist[i] = nb.distances[i * k + k - 1]!;
    this.learned = { train, k, kDist, lrd: densities(nb, X.rows, kDist), index };
  }

  /** LOF(x) = mean over x's k training neighbours o of lrd(o) / lrd(x); about 1 inside a cluster. */
  async score(X: Matrix): Promise<Float64Array> {
    const { index, k, kDist, lrd } = fittedOr(this.learned, this.name);
    checkFeatures('lof', index.cols, X);
    const nb = index.query(X, k);
    const own = densities(nb, X.rows, kDist);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = i * k; j < (i + 1) * k; j++) s += lrd[nb.indices[j]!]! / own[i]!;
      out[i] = s / k;
    }
    return out;
  }

  /**
   * Only a cutoff the user gave. scikit-learn's contamination='auto' uses LOF 1.5, but LOF has no
   * fixed scale (it depends on k and on ties in the data): 1.5 flagged 6.5% of clean rows on
   * fraud-like data while missing most planted frauds, the fence about as few and no worse.
   */
  naturalThreshold(): number | undefined {
    return this.options.cutoff;
  }

  getState(): DetectorState {
    const { train, k, kDist, lrd } = fittedOr(this.learned, this.name);
    return { params: { rows: train.rows, features: train.cols, k }, arrays: { train: train.data, kDist, lrd } };
  }

  setState(s: DetectorState): void {
    const rows = stateNumber(s, 'rows');
    const features = stateNumber(s, 'features');
    const k = stateNumber(s, 'k');
    const data = stateArray(s, 'train', Float64Array);
    const kDist = stateArray(s, 'kDist', Float64Array);
    const lrd = stateArray(s, 'lrd', Float64Array);
    if (data.length !== rows * features || kDist.length !== rows || lrd.length !== rows) {
      throw new FormatError('lof: saved arrays do not match rows x features');
    }
    if (!(Number.isInteger(k) && k >= 1 && k < rows)) throw new FormatError(`lof: saved neighbour count ${k} is invalid`);
    const train = matrix(rows, features, data);
    this.learned = { train, k, kDist, lrd, index: neighborIndex(train, this.options.search) };
  }
}

export const lof = defineDetector(
  {
    name: 'lof',
    family: 'classical',
    summary: 'Local Outlier Factor against the training rows (scikit-learn novelty mode, k = 20)',
    citation:
      'Breunig, Kriegel, Ng & Sander, LOF: Identifying Density-Based Local Outliers, SIGMOD 2000 pp. 93-104; novelty mode as scikit-learn LocalOutlierFactor',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new Lof(o),
);
