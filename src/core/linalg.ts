import type { Matrix } from './matrix.js';
import { symmetricEigenLeading, symmetricEigenQL } from './eigh.js';

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
  const c = crossProduct(transpose(centered(X, mu), X.rows, X.cols), X.cols, X.rows);
  const div = Math.max(1, X.rows - ddof);
  for (let k = 0; k < c.length; k++) c[k]! /= div;
  return c;
}

/** The rows of X minus `mu`, as a new row-major array. */
export function centered(X: Matrix, mu: Float64Array): Float64Array {
  const { rows, cols, data } = X;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * cols + j]! - mu[j]!;
  return out;
}

/** The transpose of a rows x cols row-major array. */
export function transpose(A: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(A.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j]!;
  return out;
}

/** Columns of the row slices that one pass of `rowDots` keeps in cache. */
const CROSS_BLOCK = 512;

/** A A^T for the r rows of A (each `len` long, row-major): r x r, symmetric (see `rowDots`). */
export function crossProduct(A: Float64Array, r: number, len: number): Float64Array {
  if (A.length !== r * len) throw new RangeError(`expected ${r * len} values for ${r} rows of ${len}, got ${A.length}`);
  const C = new Float64Array(r * r);
  rowDots(A, r, A, r, len, C, true);
  for (let i = 0; i < r; i++) for (let j = i + 1; j < r; j++) C[j * r + i] = C[i * r + j]!;
  return C;
}

/**
 * A B^T for the ra rows of A and the rb rows of B (each `len` long, row-major): ra x rb, entry
 * (i, j) the dot product of row i of A and row j of B. How detectors score many rows at once
 * against a matrix they learned (a precision matrix, principal axes).
 */
export function productTransposed(A: Float64Array, ra: number, B: Float64Array, rb: number, len: number): Float64Array {
  if (A.length !== ra * len || B.length !== rb * len) throw new RangeError(`expected ${ra} and ${rb} rows of ${len} values, got ${A.length} and ${B.length} values`);
  const C = new Float64Array(ra * rb);
  rowDots(A, ra, B, rb, len, C, false);
  return C;
}

/**
 * Adds the dot products of rows of A with rows of B into C (ra x rb), or only those on and above
 * the diagonal when `upper` (A = B). The rows are taken four of A by two of B (eight products per
 * six loads rather than one per two) over blocks of columns, which makes this several times
 * faster than walking one row of the result at a time, whose operand no longer stays in cache.
 */
function rowDots(A: Float64Array, ra: number, B: Float64Array, rb: number, len: number, C: Float64Array, upper: boolean): void {
  const lastA = ra - 1;
  const lastB = rb - 1;
  for (let k0 = 0; k0 < len; k0 += CROSS_BLOCK) {
    const k1 = Math.min(len, k0 + CROSS_BLOCK);
    for (let i = 0; i < ra; i += 4) {
      // Past the last row a block repeats it; those sums are not written.
      const a0 = i * len;
      const a1 = Math.min(i + 1, lastA) * len;
      const a2 = Math.min(i + 2, lastA) * len;
      const a3 = Math.min(i + 3, lastA) * len;
      for (let j = upper ? i : 0; j < rb; j += 2) {
        const b0 = j * len;
        const b1 = Math.min(j + 1, lastB) * len;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        let s20 = 0;
        let s21 = 0;
        let s30 = 0;
        let s31 = 0;
        for (let k = k0; k < k1; k++) {
          const x0 = B[b0 + k]!;
          const x1 = B[b1 + k]!;
          const y0 = A[a0 + k]!;
          const y1 = A[a1 + k]!;
          const y2 = A[a2 + k]!;
          const y3 = A[a3 + k]!;
          s00 += y0 * x0;
          s01 += y0 * x1;
          s10 += y1 * x0;
          s11 += y1 * x1;
          s20 += y2 * x0;
          s21 += y2 * x1;
          s30 += y3 * x0;
          s31 += y3 * x1;
        }
        const sums = [s00, s01, s10, s11, s20, s21, s30, s31];
        for (let q = 0; q < 8; q++) {
          const row = i + (q >> 1);
          const col = j + (q & 1);
          // With `upper`, entries below the diagonal are the caller's to fill from above.
          if (row < ra && col < rb) C[row * rb + col]! += sums[q]!;
        }
      }
    }
  }
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

/** Eigenvalues at or below this fraction of the largest count as zero in `symmetricPinv`. */
export const PINV_RCOND = 1e-10;

/**
 * Pseudo-inverse of a symmetric positive semi-definite matrix through its eigen-decomposition;
 * eigenvalues below `rcond` times the largest count as zero, which keeps singular covariances usable.
 */
export function symmetricPinv(A: Float64Array, n: number, rcond = PINV_RCOND): Float64Array {
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

/**
 * The inverse of a symmetric positive-definite matrix through its Cholesky factor L (A = L L^T,
 * A^-1 = L^-T L^-1): about n^3 / 2 multiply-adds, a fraction of an eigen-decomposition.
 * Undefined when a pivot is not positive (A is not numerically positive-definite).
 */
export function choleskyInverse(A: Float64Array, n: number): Float64Array | undefined {
  if (A.length !== n * n) throw new RangeError(`expected ${n * n} values for a ${n} x ${n} matrix, got ${A.length}`);
  // L row by row, each entry a dot product of two contiguous row prefixes.
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = A[ri + j]!;
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      if (j < i) {
        L[ri + j] = s / L[rj + j]!;
      } else {
        if (!(s > 0)) return undefined;
        L[ri + i] = Math.sqrt(s);
      }
    }
  }
  // M = L^-1 by rows: L M = I gives row i of M as (e_i - sum_k<i L[i,k] M[k,.]) / L[i,i].
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    M[ri + i] = 1;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) M[ri + c]! -= l * M[rk + c]!;
    }
    const inv = 1 / L[ri + i]!;
    for (let c = 0; c <= i; c++) M[ri + c]! *= inv;
  }
  // A^-1 = M^T M; with Mt = M^T (upper triangular), entry (a, b >= a) is the dot of rows a and b of Mt from b on.
  const Mt = transpose(M, n, n);
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    for (let b = a; b < n; b++) {
      const rb = b * n;
      let s = 0;
      for (let k = b; k < n; k++) s += Mt[ra + k]! * Mt[rb + k]!;
      out[ra + b] = s;
      out[rb + a] = s;
    }
  }
  return out;
}

/** The principal axes of the rows of a centred matrix. */
export interface PrincipalAxes {
  /** The covariance's eigenvalues (divisor rows - 1), largest first, all `cols` of them, negatives from rounding as 0. */
  values: Float64Array;
  /** The leading `kept` eigenvectors as rows, kept x cols. */
  vectors: Float64Array;
  kept: number;
}

/**
 * The covariance eigenvalues of the rows of Xc (rows x cols, centred) and the eigenvectors of
 * the leading `pick(values)`, without a full decomposition. With fewer rows than columns (images:
 * 600 rows of 784 pixels) the work is in the rows x rows Gram matrix Xc Xc^T, whose eigenvalues
 * are the covariance's non-zero ones times (rows - 1) and whose eigenvectors u map to the
 * covariance's as Xc^T u / |Xc^T u|; otherwise in the cols x cols covariance.
 */
export function principalAxes(Xc: Float64Array, rows: number, cols: number, pick: (values: Float64Array) => number): PrincipalAxes {
  const div = Math.max(1, rows - 1);
  const covValues = (raw: Float64Array): Float64Array => {
    const out = new Float64Array(cols);
    for (let m = 0; m < Math.min(cols, raw.length); m++) out[m] = Math.max(0, raw[m]!) / div;
    return out;
  };
  if (rows < cols) {
    let values: Float64Array = new Float64Array(0);
    let kept = 0;
    const gram = symmetricEigenLeading(crossProduct(Xc, rows, cols), rows, (raw) => {
      values = covValues(raw);
      kept = Math.max(0, Math.min(cols, Math.floor(pick(values))));
      return kept <= rows ? kept : 0;
    });
    // A direction the rows barely span has no reliable image Xc^T u; the covariance has it.
    const top = gram.values[0] ?? 0;
    if (kept <= rows && (kept === 0 || gram.values[kept - 1]! > GRAM_RCOND * top)) {
      return { values, vectors: orthonormalRows(fromGram(Xc, rows, cols, gram.vectors, kept), kept, cols), kept };
    }
  }
  // Xc^T Xc: the covariance times (rows - 1), which covValues divides out of the eigenvalues.
  const scatter = crossProduct(transpose(Xc, rows, cols), cols, rows);
  let kept = 0;
  const eig = symmetricEigenLeading(scatter, cols, (raw) => (kept = Math.max(0, Math.min(cols, Math.floor(pick(covValues(raw)))))));
  return { values: covValues(eig.values), vectors: eig.vectors, kept };
}

/** Gram eigenvalues at or below this fraction of the largest leave their direction to the covariance route. */
const GRAM_RCOND = 1e-8;

/** Rows m of U (kept x rows, unit Gram eigenvectors) as covariance directions Xc^T u_m, not yet normalised. */
function fromGram(Xc: Float64Array, rows: number, cols: number, U: Float64Array, kept: number): Float64Array {
  const V = new Float64Array(kept * cols);
  for (let i = 0; i < rows; i++) {
    const x = i * cols;
    for (let m = 0; m < kept; m++) {
      const u = U[m * rows + i]!;
      if (u === 0) continue;
      const v = m * cols;
      for (let j = 0; j < cols; j++) V[v + j]! += u * Xc[x + j]!;
    }
  }
  return V;
}

/**
 * Modified Gram-Schmidt on the rows, in place: the Gram route's directions are orthogonal only to
 * about machine precision times the ratio of the largest eigenvalue to theirs.
 */
function orthonormalRows(V: Float64Array, k: number, n: number): Float64Array {
  for (let m = 0; m < k; m++) {
    const v = m * n;
    for (let p = 0; p < m; p++) {
      const q = p * n;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += V[v + j]! * V[q + j]!;
      for (let j = 0; j < n; j++) V[v + j]! -= dot * V[q + j]!;
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += V[v + j]! * V[v + j]!;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < n; j++) V[v + j]! *= inv;
  }
  return V;
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
