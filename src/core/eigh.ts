import type { Eigen } from './linalg.js';

/**
 * Eigen-decomposition of a symmetric n x n matrix (row-major): values largest first, vectors as
 * rows. See `symmetricEigenLeading`, of which this is the case of every vector.
 */
export function symmetricEigenQL(A: ArrayLike<number>, n: number): Eigen {
  return symmetricEigenLeading(A, n, () => n);
}

/**
 * Every eigenvalue of a symmetric n x n matrix (row-major), largest first, and the eigenvectors
 * (as rows) of only the leading `count(values)` of them: PCA needs the values to choose how many
 * components to keep, and the vectors of those few.
 *
 * Householder reduction to tridiagonal form (keeping the reflectors rather than forming the
 * transform), then the implicit QL algorithm (tql2 of EISPACK, as in the public-domain JAMA
 * library) with its plane rotations recorded rather than applied to n basis vectors; the
 * rotations are replayed, last first, on just the wanted vectors, which the reflectors then take
 * back to the original basis. O(n^3) for the reduction with a small constant (2/3 n^3
 * multiply-adds) plus O(n^2) per wanted vector.
 */
export function symmetricEigenLeading(A: ArrayLike<number>, n: number, count: (values: Float64Array) => number): Eigen {
  if (A.length !== n * n) throw new RangeError(`expected ${n * n} values for a ${n} x ${n} matrix, got ${A.length}`);
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const H = Float64Array.from(A);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = householder(H, d, e, n);
  const log = new RotationLog();
  tql2(d, e, n, (i, c, s) => log.push(i, c, s));
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]! || i - j);
  const values = Float64Array.from(order, (src) => d[src]!);
  const k = Math.max(0, Math.min(n, Math.floor(count(values))));
  const Z = log.replay(order.slice(0, k), n);
  const vectors = new Float64Array(k * n);
  for (let m = 0; m < k; m++) {
    const z = vectors.subarray(m * n, (m + 1) * n);
    for (let i = 0; i < n; i++) z[i] = Z[i * k + m]!;
    backTransform(H, tau, n, z);
  }
  return { values, vectors };
}

/**
 * Reduces the symmetric H (n x n, row-major, upper triangle used and overwritten) to tridiagonal
 * form Q^T H Q, Q = P_0 P_1 ... P_(n-3), P_i = I - tau_i u_i u_i^T. Leaves the diagonal in d, the
 * sub-diagonal in e[1..n-1] (e[i] couples i - 1 and i, as tql2 expects), u_i in row i of H after
 * the diagonal (u_i is 0 up to position i, 1 at i + 1), and returns the tau_i.
 */
function householder(H: Float64Array, d: Float64Array, e: Float64Array, n: number): Float64Array {
  const tau = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n - 2; i++) {
    const row = i * n;
    d[i] = H[row + i]!;
    // The reflector that maps x = H[i, i+1..] onto beta e_1 (LAPACK's dlarfg).
    const x0 = H[row + i + 1]!;
    let tail = 0;
    for (let j = i + 2; j < n; j++) tail += H[row + j]! * H[row + j]!;
    if (tail === 0) {
      e[i + 1] = x0;
      continue;
    }
    const beta = x0 >= 0 ? -Math.sqrt(x0 * x0 + tail) : Math.sqrt(x0 * x0 + tail);
    const t = (beta - x0) / beta;
    const scale = 1 / (x0 - beta);
    H[row + i + 1] = 1;
    for (let j = i + 2; j < n; j++) H[row + j]! *= scale;
    tau[i] = t;
    e[i + 1] = beta;
    // p = t * S u over the trailing block S = H[i+1.., i+1..], read from its upper triangle.
    const lo = i + 1;
    p.fill(0, lo, n);
    for (let r = lo; r < n; r++) {
      const rr = r * n;
      const ur = H[row + r]!;
      let acc = H[rr + r]! * ur;
      for (let c = r + 1; c < n; c++) {
        const h = H[rr + c]!;
        acc += h * H[row + c]!;
        p[c]! += h * ur;
      }
      p[r]! += acc;
    }
    // w = p - (t / 2)(p . u) u, then S -= u w^T + w u^T.
    let pu = 0;
    for (let r = lo; r < n; r++) {
      p[r]! *= t;
      pu += p[r]! * H[row + r]!;
    }
    const half = (t / 2) * pu;
    for (let r = lo; r < n; r++) p[r]! -= half * H[row + r]!;
    for (let r = lo; r < n; r++) {
      const rr = r * n;
      const ur = H[row + r]!;
      const wr = p[r]!;
      for (let c = r; c < n; c++) H[rr + c]! -= ur * p[c]! + wr * H[row + c]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = H[(n - 2) * n + n - 2]!;
    e[n - 1] = H[(n - 2) * n + n - 1]!;
  }
  d[n - 1] = H[n * n - 1]!;
  e[0] = 0;
  return tau;
}

/** z <- Q z: a vector in the tridiagonal basis back to the original one, applying P_(n-3) first. */
function backTransform(H: Float64Array, tau: Float64Array, n: number, z: Float64Array): void {
  for (let i = n - 3; i >= 0; i--) {
    const t = tau[i]!;
    if (t === 0) continue;
    const row = i * n;
    let dot = 0;
    for (let j = i + 1; j < n; j++) dot += H[row + j]! * z[j]!;
    dot *= t;
    for (let j = i + 1; j < n; j++) z[j]! -= dot * H[row + j]!;
  }
}

/** The plane rotations of the QL sweeps, in order: rotation r mixes rows index[r] and index[r] + 1. */
class RotationLog {
  private index = new Int32Array(1024);
  private cos = new Float64Array(1024);
  private sin = new Float64Array(1024);
  private length = 0;

  push(i: number, c: number, s: number): void {
    if (this.length === this.index.length) {
      this.index = grow(this.index, new Int32Array(this.length * 2));
      this.cos = grow(this.cos, new Float64Array(this.length * 2));
      this.sin = grow(this.sin, new Float64Array(this.length * 2));
    }
    this.index[this.length] = i;
    this.cos[this.length] = c;
    this.sin[this.length] = s;
    this.length++;
  }

  /**
   * The tridiagonal matrix's eigenvectors for the given final rows, as the columns of an
   * n x rows.length array. The rotated basis starts as the identity and row src ends as
   * e_src^T R_last ... R_1, so the rotations apply to e_src last first.
   */
  replay(rows: number[], n: number): Float64Array {
    const k = rows.length;
    const Z = new Float64Array(n * k);
    rows.forEach((src, m) => (Z[src * k + m] = 1));
    const { index, cos, sin } = this;
    for (let r = this.length - 1; r >= 0; r--) {
      const a = index[r]! * k;
      const b = a + k;
      const c = cos[r]!;
      const s = sin[r]!;
      for (let m = 0; m < k; m++) {
        const za = Z[a + m]!;
        const zb = Z[b + m]!;
        Z[a + m] = c * za + s * zb;
        Z[b + m] = c * zb - s * za;
      }
    }
    return Z;
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Implicit QL on the tridiagonal (d, e), leaving the eigenvalues in d; each plane rotation of
 * rows i and i + 1 (row i + 1 becomes s * row i + c * row i + 1, row i becomes
 * c * row i - s * row i + 1) goes to `rotate`, in order.
 */
function tql2(d: Float64Array, e: Float64Array, n: number, rotate: (i: number, c: number, s: number) => void): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      // Converges in a few iterations per eigenvalue; the cap only guards against NaN input.
      for (let iter = 0; iter < 100; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          rotate(i, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]!) > eps * tst1)) break;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
