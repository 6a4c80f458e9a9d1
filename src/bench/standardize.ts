import { columnMeans, columnStds } from '../core/linalg.js';
import type { Matrix } from '../core/matrix.js';

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
