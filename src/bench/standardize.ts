import { columnMeans, columnStds } from '../core/linalg.js';
import { matrix, type Matrix } from '../core/matrix.js';

/**
 * The benchmark protocol's own scaling (train mean, population std, std 0 -> 1), kept apart from
 * the model pipeline's scalers so the protocol matches the peer's exactly.
 */
export interface Standardizer {
  mean: Float64Array;
  sd: Float64Array;
}

export function fitStandardizer(X: Matrix): Standardizer {
  const mean = columnMeans(X);
  return { mean, sd: columnStds(X, mean) };
}

export function standardizeWith(s: Standardizer, X: Matrix): Matrix {
  const out = matrix(X.rows, X.cols);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) out.data[i * X.cols + j] = (X.data[i * X.cols + j]! - s.mean[j]!) / s.sd[j]!;
  }
  return out;
}
