import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { neighborIndex, type NeighborIndex } from './neighbors.js';

const schema = z.object({
  /** Neighbours looked at; capped at the number of training rows. */
  nNeighbors: z.number().int().min(1).default(5).describe('Neighbours looked at; capped at the number of training rows.'),
  /** Distance to the k-th neighbour, or the mean or median of the distances to all k. */
  method: z.enum(['largest', 'mean', 'median']).default('largest').describe('Distance to the k-th neighbour, or the mean or median of the distances to all k.'),
  /** Neighbour search strategy; `auto` uses a k-d tree up to 16 features, a plain scan above. */
  search: z.enum(['auto', 'kdtree', 'brute']).default('auto').describe('Neighbour search strategy; `auto` uses a k-d tree up to 16 features, a plain scan above.'),
});

interface Learned {
  train: Matrix;
  k: number;
  index: NeighborIndex;
}

/**
 * k-nearest-neighbour distance to the training rows. Every scored row is treated as new data:
 * a training row scored again finds itself at distance 0 (PyOD's fit-time scores leave the row
 * itself out; scoring here must not look at which batch a row came from).
 */
class Knn implements Detector {
  readonly name = 'knn';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  private learn(train: Matrix, k: number): Learned {
    return { train, k, index: neighborIndex(train, this.options.search) };
  }

  async fit(X: Matrix): Promise<void> {
    if (X.rows < 1) throw new DataError('knn needs at least one training row');
    // Copied: the index and the saved state must not change if the caller reuses X.
    const train = matrix(X.rows, X.cols, Float64Array.from(X.data));
    this.learned = this.learn(train, Math.min(this.options.nNeighbors, X.rows));
  }

  async score(X: Matrix): Promise<Float64Array> {
    const { index, k } = fittedOr(this.learned, this.name);
    checkFeatures('knn', index.cols, X);
    const { distances } = index.query(X, k);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      const o = i * k;
      switch (this.options.method) {
        case 'largest':
          out[i] = distances[o + k - 1]!;
          break;
        case 'mean': {
          let s = 0;
          for (let j = 0; j < k; j++) s += distances[o + j]!;
          out[i] = s / k;
          break;
        }
        case 'median': {
          const h = k >> 1;
          out[i] = k % 2 ? distances[o + h]! : (distances[o + h - 1]! + distances[o + h]!) / 2;
          break;
        }
      }
    }
    return out;
  }

  getState(): DetectorState {
    const { train, k } = fittedOr(this.learned, this.name);
    return { params: { rows: train.rows, features: train.cols, k }, arrays: { train: train.data } };
  }

  setState(s: DetectorState): void {
    const rows = stateNumber(s, 'rows');
    const features = stateNumber(s, 'features');
    const k = stateNumber(s, 'k');
    const data = stateArray(s, 'train', Float64Array);
    if (data.length !== rows * features) throw new FormatError('knn: saved training rows do not match rows x features');
    if (!(Number.isInteger(k) && k >= 1 && k <= rows)) throw new FormatError(`knn: saved neighbour count ${k} is invalid`);
    this.learned = this.learn(matrix(rows, features, data), k);
  }
}

export const knn = defineDetector(
  {
    name: 'knn',
    family: 'classical',
    summary: 'distance to the k-th nearest training row (or mean/median of the k distances), exact search',
    citation:
      'Ramaswamy, Rastogi & Shim, Efficient Algorithms for Mining Outliers from Large Data Sets, SIGMOD 2000; methods as PyOD KNN',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new Knn(o),
);
