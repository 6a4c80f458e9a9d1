import type { Matrix } from './matrix.js';
import { symmetricEigenQL } from './eigh.js';

/** Column means of a row-major matrix. */
export function columnMeans(X: Matrix): Float64Array {
  const { rows, cols, data } = X;
  const mu = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mu[j]! += data[i * cols + j]!;
  for (let j = 0; j < cols; j++) mu[j]! /= Math.max(1, rows);
  return mu;
}

/** Column population standard deviations; a zero (constant column) becomes `zeroAs`. */
export function columnStds(X: Matrix, mu = columnMeans(X), zeroAs = 1): Float64Array {
  const { rows, cols, data } = X;
  const sd = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sd[j]! += (data[i * cols + j]! - mu[j]!) ** 2;
  for (let j = 0; j < cols; j++) sd[j] = Math.sqrt(sd[j]! / Math.max(1, rows)) || zeroAs;
  return sd;
}

/** Covariance matrix (cols x cols, row-major) with `ddof` removed from the divisor. */
export function covariance(X: Matrix, mu = columnMeans(X), ddof = 1): Float64Array {
  const { rows, cols, data } = X;
  const c = new Float64Array(cols * cols);
  const centered = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) centered[j] = data[i * cols + j]! - mu[j]!;
    for (let a = 0; a < cols; a++) {
      const va = centered[a]!;
      if (va === 0) continue;
      const base = a * cols;
      for (let b = a; b < cols; b++) c[base + b]! += va * centered[b]!;
    }
  }
  const div = Math.max(1, rows - ddof);
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const v = c[a * cols + b]! / div;
      c[a * cols + b] = v;
      c[b * cols + a] = v;
    }
  }
  return c;
}

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as rows (n x n, row k belongs to values[k]). */
  vectors: Float64Array;
}

/** Eigen-decomposition of a symmetric matrix (see eigh.ts for the method). */
export function symmetricEigen(A: ArrayLike<number>, n: number): Eigen {
  return symmetricEigenQL(A, n);
}

/**
 * Pseudo-inverse of a symmetric positive semi-definite matrix through its eigen-decomposition;
 * eigenvalues below `rcond` times the largest count as zero, which keeps singular covariances usable.
 */
export function symmetricPinv(A: Float64Array, n: number, rcond = 1e-10): Float64Array {
  const { values, vectors } = symmetricEigen(A, n);
  const cutoff = rcond * Math.max(Math.abs(values[0] ?? 0), 1e-300);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lam = values[k]!;
    if (lam <= cutoff) continue;
    const inv = 1 / lam;
    for (let i = 0; i < n; i++) {
      const vi = vectors[k * n + i]! * inv;
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += vi * vectors[k * n + j]!;
    }
  }
  return out;
}

export function squaredDistance(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j]! - b[bi + j]!;
    s += t * t;
  }
  return s;
}

/** (x - mean) / sd per column, as a new matrix. */
export function standardize(X: Matrix, s: { mean: Float64Array; sd: Float64Array }): Matrix {
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      const k = i * X.cols + j;
      out[k] = (X.data[k]! - s.mean[j]!) / s.sd[j]!;
    }
  }
  return { rows: X.rows, cols: X.cols, data: out };
}
