import { matrix, type Matrix } from '../core/matrix.js';
import { Rng } from '../core/random.js';

export interface Planted {
  X: Matrix;
  /** 1 for planted outliers, 0 otherwise. */
  labels: Uint8Array;
}

/**
 * Gaussian inliers (two correlated clusters) and outliers planted far from both, shuffled
 * together. Small and seeded: the fixture every detector test starts from.
 */
export function plantedOutliers(opts: { rows?: number; cols?: number; outliers?: number; seed?: number } = {}): Planted {
  const { rows = 300, cols = 4, outliers = 12, seed = 7 } = opts;
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  const labels = new Uint8Array(rows);
  const order = rng.permutation(rows);
  for (let k = 0; k < rows; k++) {
    const i = order[k]!;
    const isOut = k < outliers;
    labels[i] = isOut ? 1 : 0;
    const center = k % 2 === 0 ? 0 : 3;
    const common = rng.normal();
    for (let j = 0; j < cols; j++) {
      let v = center + 0.6 * common + 0.8 * rng.normal();
      if (isOut) v = (rng.next() < 0.5 ? -1 : 1) * rng.uniform(7, 10) + 1.5;
      X.data[i * cols + j] = v;
    }
  }
  return { X, labels };
}

/**
 * Anomalies of one kind: N(0, I) rows and `anomalies` rows shifted by `shift` along feature 0,
 * spread evenly. A few labeled anomalies describe the rest, the setting semi-supervised detectors
 * (devnet) are for; plantedOutliers' anomalies each sit in a corner of their own, which labels of
 * some do not describe.
 */
export function shiftedAnomalies(opts: { rows?: number; cols?: number; anomalies?: number; shift?: number; seed?: number } = {}): Planted {
  const { rows = 200, cols = 4, anomalies = 10, shift = 4, seed = 5 } = opts;
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  const labels = new Uint8Array(rows);
  const every = Math.floor(rows / anomalies);
  for (let i = 0; i < rows; i++) {
    labels[i] = i % every === every - 1 && i < every * anomalies ? 1 : 0;
    for (let j = 0; j < cols; j++) X.data[i * cols + j] = rng.normal() + (labels[i] && j === 0 ? shift : 0);
  }
  return { X, labels };
}

/** n flattened 8x8 one-channel images: a horizontal bar in each normal row, a vertical bar in the last `anomalies`. */
export function barImages(n: number, anomalies: number): Matrix {
  const X = matrix(n, 64);
  for (let i = 0; i < n; i++) {
    const pos = (i * 5) % 8;
    const vertical = i >= n - anomalies;
    for (let k = 0; k < 8; k++) X.data[i * 64 + (vertical ? k * 8 + pos : pos * 8 + k)] = 1;
  }
  return X;
}
