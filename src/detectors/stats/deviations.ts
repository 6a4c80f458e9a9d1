import { matrix, type Matrix } from '../../core/matrix.js';

/** |x - center| / scale per feature: the per-feature evidence of every location-scale detector. */
export function absDeviations(X: Matrix, center: Float64Array, scale: Float64Array): Matrix {
  const out = matrix(X.rows, X.cols);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      const k = i * X.cols + j;
      out.data[k] = Math.abs(X.data[k]! - center[j]!) / scale[j]!;
    }
  }
  return out;
}
