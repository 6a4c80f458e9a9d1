import { DataError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';

/**
 * Exact k-nearest-neighbour search over a fixed set of reference rows (Euclidean distance),
 * shared by the kNN and LOF detectors.
 *
 * Two strategies give the same distances bit for bit: every squared distance is summed over the
 * features in the same order, and early exits only ever reject a candidate that is already
 * farther than the current k-th. So the k-th distance of a row never depends on the strategy.
 * Among candidates at exactly equal distance the first one found is kept, so *which* tied row
 * is reported can differ between strategies (as it does between scikit-learn's trees).
 */

export type NeighborMethod = 'auto' | 'kdtree' | 'brute';

/** Neighbours of each query row, nearest first: row i's are at [i * k, (i + 1) * k). */
export interface Neighbors {
  k: number;
  distances: Float64Array;
  indices: Int32Array;
}

/** Above this many features a k-d tree prunes too little to beat a plain scan. */
export const KDTREE_MAX_DIM = 16;
const LEAF_SIZE = 16;
/**
 * With unit roundoff u and d features, the screening value fl(|q|^2 + |r|^2 - 2 q.r) is within
 * (2d + 6) u (|q|^2 + |r|^2) of |q - r|^2, and the exact measure within 2d u (|q|^2 + |r|^2)
 * (standard summation bounds), so a margin of (d + 4) * FILTER_EPS * (|q|^2 + |r|^2) covers both
 * with a factor of 2 to spare while still being far below typical distances.
 */
const FILTER_EPS = 1e-15;

export interface NeighborIndex {
  readonly method: 'kdtree' | 'brute';
  readonly rows: number;
  readonly cols: number;
  /** The k nearest reference rows of each row of X. */
  query(X: Matrix, k: number): Neighbors;
  /** The k nearest other reference rows of each reference row: a row is never its own neighbour. */
  querySelf(k: number): Neighbors;
}

export function neighborIndex(ref: Matrix, method: NeighborMethod = 'auto'): NeighborIndex {
  if (ref.rows < 1) throw new DataError('neighbour search needs at least one reference row');
  const useTree = method === 'kdtree' || (method === 'auto' && ref.cols <= KDTREE_MAX_DIM);
  return useTree ? new KdTree(ref) : new BruteForce(ref);
}

/** The current best k candidates of one query, kept sorted by squared distance. */
class Best {
  readonly d2: Float64Array;
  readonly idx: Int32Array;
  count = 0;
  worst = Infinity;
  constructor(readonly k: number) {
    this.d2 = new Float64Array(k);
    this.idx = new Int32Array(k);
  }

  reset(): void {
    this.count = 0;
    this.worst = Infinity;
  }

  /** Call only when d2 < worst. */
  insert(d2: number, i: number): void {
    let p = this.count < this.k ? this.count++ : this.k - 1;
    while (p > 0 && this.d2[p - 1]! > d2) {
      this.d2[p] = this.d2[p - 1]!;
      this.idx[p] = this.idx[p - 1]!;
      p--;
    }
    this.d2[p] = d2;
    this.idx[p] = i;
    if (this.count === this.k) this.worst = this.d2[this.k - 1]!;
  }

  write(out: Neighbors, row: number): void {
    const o = row * this.k;
    for (let j = 0; j < this.k; j++) {
      out.distances[o + j] = Math.sqrt(this.d2[j]!);
      out.indices[o + j] = this.idx[j]!;
    }
  }
}

function checkK(k: number, available: number): void {
  if (!Number.isInteger(k) || k < 1) throw new DataError(`neighbour count must be a positive integer, got ${k}`);
  if (k > available) throw new DataError(`asked for ${k} neighbours but only ${available} reference rows are available`);
}

function checkCols(X: Matrix, cols: number): void {
  if (X.cols !== cols) throw new DataError(`neighbour index holds ${cols} features, got ${X.cols}`);
}

/**
 * Squared distance between a[ai..] and b[bi..] over d features, or some value > limit as soon as
 * a partial sum exceeds limit. Four running sums break the add-latency chain (about 3x faster
 * than one); each only grows, and so does their combination, so an early exit never rejects a
 * row that the full sum would have kept.
 */
export function boundedD2(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number, limit: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const d4 = d - (d & 3);
  let j = 0;
  while (j < d4) {
    const end = Math.min(d4, j + 16);
    for (; j < end; j += 4) {
      const t0 = a[ai + j]! - b[bi + j]!;
      const t1 = a[ai + j + 1]! - b[bi + j + 1]!;
      const t2 = a[ai + j + 2]! - b[bi + j + 2]!;
      const t3 = a[ai + j + 3]! - b[bi + j + 3]!;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    const s = s0 + s1 + (s2 + s3);
    if (s > limit) return s;
  }
  for (; j < d; j++) {
    const t = a[ai + j]! - b[bi + j]!;
    s0 += t * t;
  }
  return s0 + s1 + (s2 + s3);
}

/** Squared Euclidean norm of each row. */
function rowNorms(data: Float64Array, rows: number, d: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) s += data[j]! * data[j]!;
    out[i] = s;
  }
  return out;
}

/** The 4 x 4 dot products of rows q[qi..] (4 consecutive) with rows r[ri..] (4 consecutive), row-major into out. */
function dot4x4(q: Float64Array, qi: number, r: Float64Array, ri: number, d: number, out: Float64Array): void {
  const q0 = qi;
  const q1 = q0 + d;
  const q2 = q1 + d;
  const q3 = q2 + d;
  const r0 = ri;
  const r1 = r0 + d;
  const r2 = r1 + d;
  const r3 = r2 + d;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let j = 0; j < d; j++) {
    const x0 = q[q0 + j]!;
    const x1 = q[q1 + j]!;
    const x2 = q[q2 + j]!;
    const x3 = q[q3 + j]!;
    const y0 = r[r0 + j]!;
    const y1 = r[r1 + j]!;
    const y2 = r[r2 + j]!;
    const y3 = r[r3 + j]!;
    c00 += x0 * y0;
    c01 += x0 * y1;
    c02 += x0 * y2;
    c03 += x0 * y3;
    c10 += x1 * y0;
    c11 += x1 * y1;
    c12 += x1 * y2;
    c13 += x1 * y3;
    c20 += x2 * y0;
    c21 += x2 * y1;
    c22 += x2 * y2;
    c23 += x2 * y3;
    c30 += x3 * y0;
    c31 += x3 * y1;
    c32 += x3 * y2;
    c33 += x3 * y3;
  }
  out[0] = c00;
  out[1] = c01;
  out[2] = c02;
  out[3] = c03;
  out[4] = c10;
  out[5] = c11;
  out[6] = c12;
  out[7] = c13;
  out[8] = c20;
  out[9] = c21;
  out[10] = c22;
  out[11] = c23;
  out[12] = c30;
  out[13] = c31;
  out[14] = c32;
  out[15] = c33;
}

/**
 * A scan of all reference rows. Candidates are first screened with |q|^2 + |r|^2 - 2 q.r from
 * register-tiled dot products (loads shared by 16 pairs, about 2.5x faster than differencing
 * each pair); with the FILTER_EPS margin the screen only drops rows that are surely no closer
 * than the current k-th. The survivors, which decide the result, are measured with boundedD2,
 * the same arithmetic as the tree's.
 */
class BruteForce implements NeighborIndex {
  readonly method = 'brute';
  readonly rows: number;
  readonly cols: number;
  private readonly data: Float64Array;
  private readonly norms: Float64Array;
  constructor(ref: Matrix) {
    this.rows = ref.rows;
    this.cols = ref.cols;
    this.data = ref.data;
    this.norms = rowNorms(ref.data, ref.rows, ref.cols);
  }

  query(X: Matrix, k: number): Neighbors {
    checkCols(X, this.cols);
    checkK(k, this.rows);
    return this.search(X.data, X.rows, k, false);
  }

  querySelf(k: number): Neighbors {
    checkK(k, this.rows - 1);
    return this.search(this.data, this.rows, k, true);
  }

  /**
   * Query blocks against reference blocks sized to stay in cache; each query still meets the
   * reference rows in index order, so among equally distant rows the lowest index wins.
   */
  private search(q: Float64Array, nq: number, k: number, self: boolean): Neighbors {
    const d = this.cols;
    const n = this.rows;
    const ref = this.data;
    const rNorms = this.norms;
    const qNorms = self ? rNorms : rowNorms(q, nq, d);
    const tol = FILTER_EPS * (d + 4);
    const out: Neighbors = { k, distances: new Float64Array(nq * k), indices: new Int32Array(nq * k) };
    const qBlock = 256;
    // A multiple of 4 rows, about 128 KB, so only the very last block has an untiled tail.
    const rBlock = Math.max(4, Math.floor(16384 / Math.max(1, d)) & ~3);
    const best = Array.from({ length: Math.min(qBlock, nq) }, () => new Best(k));
    const dots = new Float64Array(16);
    const exact = (b: Best, i: number, r: number): void => {
      const s = boundedD2(q, i * d, ref, r * d, d, b.worst);
      if (s < b.worst) b.insert(s, r);
    };
    for (let q0 = 0; q0 < nq; q0 += qBlock) {
      const q1 = Math.min(nq, q0 + qBlock);
      for (let i = q0; i < q1; i++) best[i - q0]!.reset();
      for (let r0 = 0; r0 < n; r0 += rBlock) {
        const r1 = Math.min(n, r0 + rBlock);
        const rt = r0 + ((r1 - r0) & ~3);
        for (let i0 = q0; i0 < q1; i0 += 4) {
          const m = Math.min(4, q1 - i0);
          if (m === 4) {
            for (let r = r0; r < rt; r += 4) {
              dot4x4(q, i0 * d, ref, r * d, d, dots);
              for (let a = 0; a < 4; a++) {
                const i = i0 + a;
                const b = best[i - q0]!;
                const qn = qNorms[i]!;
                for (let c = 0; c < 4; c++) {
                  const rc = r + c;
                  if (self && rc === i) continue;
                  const rn = rNorms[rc]!;
                  // Negated so a NaN estimate falls through to the exact measure.
                  if (!(qn + rn - 2 * dots[a * 4 + c]! - tol * (qn + rn) >= b.worst)) exact(b, i, rc);
                }
              }
            }
          } else {
            for (let i = i0; i < i0 + m; i++) for (let r = r0; r < rt; r++) if (!(self && r === i)) exact(best[i - q0]!, i, r);
          }
          for (let i = i0; i < i0 + m; i++) for (let r = rt; r < r1; r++) if (!(self && r === i)) exact(best[i - q0]!, i, r);
        }
      }
      for (let i = q0; i < q1; i++) best[i - q0]!.write(out, i);
    }
    return out;
  }
}

/**
 * A k-d tree (Bentley 1975) split at the median of the feature with the largest variance (on
 * ODDS data about a third fewer distance evaluations than the widest range, which a few extreme
 * rows can dominate), with a bounding box per node so whole subtrees farther than the current
 * k-th candidate are skipped. Reference rows are
 * copied in tree order so a leaf scan reads contiguous memory.
 */
class KdTree implements NeighborIndex {
  readonly method = 'kdtree';
  readonly rows: number;
  readonly cols: number;
  /** Reference rows in tree order. */
  private readonly pts: Float64Array;
  /** Original row index of each tree-order position. */
  private readonly order: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Child node ids, -1 at leaves. */
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** Per node, d lower then d upper box corners. */
  private readonly box: Float64Array;

  constructor(ref: Matrix) {
    const n = ref.rows;
    const d = ref.cols;
    this.rows = n;
    this.cols = d;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const start: number[] = [];
    const end: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const boxes: Float64Array[] = [];
    const src = ref.data;
    const sum = new Float64Array(d);
    const sumSq = new Float64Array(d);
    const build = (s: number, e: number): number => {
      const node = start.length;
      start.push(s);
      end.push(e);
      left.push(-1);
      right.push(-1);
      const b = new Float64Array(2 * d);
      b.fill(Infinity, 0, d);
      b.fill(-Infinity, d);
      sum.fill(0);
      sumSq.fill(0);
      // Moments about the node's first row, so a large common offset does not cancel the variance away.
      const o0 = order[s]! * d;
      for (let p = s; p < e; p++) {
        const o = order[p]! * d;
        for (let j = 0; j < d; j++) {
          const v = src[o + j]!;
          if (v < b[j]!) b[j] = v;
          if (v > b[d + j]!) b[d + j] = v;
          const t = v - src[o0 + j]!;
          sum[j]! += t;
          sumSq[j]! += t * t;
        }
      }
      boxes.push(b);
      if (e - s <= LEAF_SIZE) return node;
      let dim = -1;
      let best = -Infinity;
      for (let j = 0; j < d; j++) {
        if (!(b[d + j]! > b[j]!)) continue;
        const m = sum[j]! / (e - s);
        const v = sumSq[j]! / (e - s) - m * m;
        if (v > best) {
          best = v;
          dim = j;
        }
      }
      // All rows identical (or NaN): nothing to split on.
      if (dim < 0) return node;
      const mid = (s + e) >> 1;
      select(order, src, d, dim, s, e - 1, mid);
      left[node] = build(s, mid);
      right[node] = build(mid, e);
      return node;
    };
    build(0, n);
    this.order = order;
    this.start = Int32Array.from(start);
    this.end = Int32Array.from(end);
    this.left = Int32Array.from(left);
    this.right = Int32Array.from(right);
    this.box = new Float64Array(boxes.length * 2 * d);
    boxes.forEach((b, i) => this.box.set(b, i * 2 * d));
    this.pts = new Float64Array(n * d);
    for (let p = 0; p < n; p++) this.pts.set(src.subarray(order[p]! * d, (order[p]! + 1) * d), p * d);
  }

  query(X: Matrix, k: number): Neighbors {
    checkCols(X, this.cols);
    checkK(k, this.rows);
    return this.search(X.data, X.rows, k, false);
  }

  querySelf(k: number): Neighbors {
    checkK(k, this.rows - 1);
    // Query with the reference rows in their original order so output row i is reference row i.
    const q = new Float64Array(this.rows * this.cols);
    for (let p = 0; p < this.rows; p++) q.set(this.pts.subarray(p * this.cols, (p + 1) * this.cols), this.order[p]! * this.cols);
    return this.search(q, this.rows, k, true);
  }

  private search(q: Float64Array, nq: number, k: number, self: boolean): Neighbors {
    const out: Neighbors = { k, distances: new Float64Array(nq * k), indices: new Int32Array(nq * k) };
    const best = new Best(k);
    for (let i = 0; i < nq; i++) {
      best.reset();
      this.visit(0, q, i * this.cols, self ? i : -1, best);
      best.write(out, i);
    }
    return out;
  }

  private boxD2(node: number, q: Float64Array, qi: number): number {
    const d = this.cols;
    const b = node * 2 * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = q[qi + j]!;
      const lo = this.box[b + j]!;
      const hi = this.box[b + d + j]!;
      const t = v < lo ? lo - v : v > hi ? v - hi : 0;
      s += t * t;
    }
    return s;
  }

  private visit(node: number, q: Float64Array, qi: number, exclude: number, best: Best): void {
    const l = this.left[node]!;
    if (l < 0) {
      const d = this.cols;
      for (let p = this.start[node]!, e = this.end[node]!; p < e; p++) {
        const s = boundedD2(q, qi, this.pts, p * d, d, best.worst);
        if (s < best.worst) {
          const r = this.order[p]!;
          if (r !== exclude) best.insert(s, r);
        }
      }
      return;
    }
    const r = this.right[node]!;
    const dl = this.boxD2(l, q, qi);
    const dr = this.boxD2(r, q, qi);
    if (dl <= dr) {
      if (dl < best.worst) this.visit(l, q, qi, exclude, best);
      if (dr < best.worst) this.visit(r, q, qi, exclude, best);
    } else {
      if (dr < best.worst) this.visit(r, q, qi, exclude, best);
      if (dl < best.worst) this.visit(l, q, qi, exclude, best);
    }
  }
}

/** Quickselect (Hoare): reorders order[lo..hi] so position kth holds its value along dim in sorted place. */
function select(order: Int32Array, data: Float64Array, d: number, dim: number, lo: number, hi: number, kth: number): void {
  while (hi > lo) {
    const pivot = data[order[(lo + hi) >> 1]! * d + dim]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[order[i]! * d + dim]! < pivot) i++;
      while (data[order[j]! * d + dim]! > pivot) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return;
  }
}
