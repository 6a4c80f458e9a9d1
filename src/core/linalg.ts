import type { Matrix } from './matrix.js';

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

/**
 * Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations: slow for large n
 * but accurate and simple, and feature counts here are in the hundreds at most.
 */
export function symmetricEigen(A: Float64Array, n: number, maxSweeps = 100): Eigen {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p]! * a[p * n + p]!;
      for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = a[src * n + src]!;
    for (let r = 0; r < n; r++) vectors[k * n + r] = v[r * n + src]!;
  });
  return { values, vectors };
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
