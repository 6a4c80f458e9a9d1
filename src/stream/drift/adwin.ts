/**
 * ADWIN, adaptive windowing (Bifet & Gavaldà 2007, SDM, "Learning from Time-Changing Data with
 * Adaptive Windowing", the ADWIN2 variant). It keeps a window W of the recent values and drops
 * its older part whenever some split W = W0·W1 has sub-window means that differ by more than
 *   ε_cut = sqrt(2/m · σ²_W · ln(2/δ')) + 2/(3m) · ln(2/δ'),   1/m = 1/n0 + 1/n1,  δ' = δ/ln n,
 * the paper's Bernstein-type bound: while the mean does not change, the probability of a cut at a
 * check is at most δ. A drift is reported whenever the window shrinks.
 *
 * Memory: W is an exponential histogram: row i holds at most `maxBuckets` buckets (sum and
 * variance) of 2^i values each, so n values take O(maxBuckets · log n) numbers, and splits are
 * only tried at bucket boundaries. The cut test runs every `clock` values (as MOA and River do).
 * The range term 2/(3m) ln(2/δ') assumes values of order 1 (the paper's [0, 1]); the variance
 * term scales with the data.
 */
import { FormatError, OptionsError } from '../../core/errors.js';
import type { DriftDetector } from './drift-detector.js';

export interface AdwinOptions {
  /** Confidence δ: bound on the false-cut probability per check (default 0.002). */
  delta?: number;
  /** Values between two cut tests (default 32). */
  clock?: number;
  /** Buckets per row before the two oldest merge (the paper's M, default 5). */
  maxBuckets?: number;
  /** Fewest values on either side of a split (default 5). */
  minWindow?: number;
  /** Values before the first test (default 10). */
  gracePeriod?: number;
}

export interface AdwinState {
  format: 'vigil-adwin';
  delta: number;
  clock: number;
  maxBuckets: number;
  minWindow: number;
  gracePeriod: number;
  tick: number;
  width: number;
  total: number;
  variance: number;
  /** Per row, oldest bucket first: sums, and sums of squared deviations. */
  totals: number[][];
  variances: number[][];
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new OptionsError(`adwin: ${name} must be a whole number >= 1, got ${v}`);
  return v;
}

export class Adwin implements DriftDetector {
  readonly name = 'adwin';
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindow: number;
  readonly gracePeriod: number;
  private tick = 0;
  private n = 0;
  private total = 0;
  /** Sum of squared deviations from the mean over the whole window. */
  private m2 = 0;
  private totals: number[][] = [];
  private variances: number[][] = [];

  constructor({ delta = 0.002, clock = 32, maxBuckets = 5, minWindow = 5, gracePeriod = 10 }: AdwinOptions = {}) {
    if (!(delta > 0 && delta < 1)) throw new OptionsError(`adwin: delta must be in (0, 1), got ${delta}`);
    this.delta = delta;
    this.clock = positive('clock', clock);
    this.maxBuckets = positive('maxBuckets', maxBuckets);
    this.minWindow = positive('minWindow', minWindow);
    this.gracePeriod = positive('gracePeriod', gracePeriod);
  }

  /** Values in the current window. */
  get width(): number {
    return this.n;
  }

  /** Mean of the current window (NaN when empty). */
  get mean(): number {
    return this.n ? this.total / this.n : NaN;
  }

  update(x: number): boolean {
    if (!Number.isFinite(x)) return false;
    this.insert(x);
    this.tick++;
    if (this.tick % this.clock !== 0 || this.n < this.gracePeriod) return false;
    let shrunk = false;
    while (this.n > 2 * this.minWindow && this.cutExists()) {
      this.dropOldest();
      shrunk = true;
    }
    return shrunk;
  }

  reset(): void {
    this.tick = this.n = this.total = this.m2 = 0;
    this.totals = [];
    this.variances = [];
  }

  bufferedValues(): number {
    let b = 0;
    for (const row of this.totals) b += row.length;
    return 2 * b;
  }

  toJSON(): AdwinState {
    const { delta, clock, maxBuckets, minWindow, gracePeriod, tick } = this;
    return {
      format: 'vigil-adwin',
      delta,
      clock,
      maxBuckets,
      minWindow,
      gracePeriod,
      tick,
      width: this.n,
      total: this.total,
      variance: this.m2,
      totals: this.totals.map((r) => [...r]),
      variances: this.variances.map((r) => [...r]),
    };
  }

  static fromJSON(state: unknown): Adwin {
    const s = state as AdwinState;
    if (!s || s.format !== 'vigil-adwin' || !Array.isArray(s.totals) || !Array.isArray(s.variances) || s.totals.length !== s.variances.length) {
      throw new FormatError('not an ADWIN state');
    }
    const d = new Adwin(s);
    d.tick = s.tick;
    d.n = s.width;
    d.total = s.total;
    d.m2 = s.variance;
    d.totals = s.totals.map((r) => [...r]);
    d.variances = s.variances.map((r) => [...r]);
    return d;
  }

  private insert(x: number): void {
    if (this.n > 0) {
      const d = x - this.total / this.n;
      this.m2 += (this.n * d * d) / (this.n + 1);
    }
    this.n++;
    this.total += x;
    if (!this.totals.length) {
      this.totals.push([]);
      this.variances.push([]);
    }
    this.totals[0]!.push(x);
    this.variances[0]!.push(0);
    // Compress: a row over capacity merges its two oldest buckets into one of the next row, where
    // every bucket is older than those of this row.
    for (let i = 0; this.totals[i]!.length > this.maxBuckets; i++) {
      const t = this.totals[i]!;
      const v = this.variances[i]!;
      const size = 2 ** i;
      const t0 = t.shift()!;
      const t1 = t.shift()!;
      const v0 = v.shift()!;
      const v1 = v.shift()!;
      if (i + 1 === this.totals.length) {
        this.totals.push([]);
        this.variances.push([]);
      }
      this.totals[i + 1]!.push(t0 + t1);
      this.variances[i + 1]!.push(v0 + v1 + ((t0 - t1) * (t0 - t1)) / (2 * size));
    }
  }

  /** Tries every bucket boundary, oldest part W0 growing from the oldest bucket. */
  private cutExists(): boolean {
    const n = this.n;
    const varW = this.m2 / n;
    const logTerm = Math.log((2 * Math.log(n)) / this.delta);
    let n0 = 0;
    let u0 = 0;
    for (let i = this.totals.length - 1; i >= 0; i--) {
      const row = this.totals[i]!;
      const size = 2 ** i;
      for (let k = 0; k < row.length; k++) {
        n0 += size;
        u0 += row[k]!;
        const n1 = n - n0;
        if (n1 < this.minWindow) return false;
        if (n0 < this.minWindow) continue;
        const mInv = 1 / n0 + 1 / n1;
        const eps = Math.sqrt(2 * mInv * varW * logTerm) + (2 / 3) * mInv * logTerm;
        if (Math.abs(u0 / n0 - (this.total - u0) / n1) > eps) return true;
      }
    }
    return false;
  }

  private dropOldest(): void {
    let i = this.totals.length - 1;
    while (i > 0 && this.totals[i]!.length === 0) i--;
    const size = 2 ** i;
    const t = this.totals[i]!.shift()!;
    const v = this.variances[i]!.shift()!;
    const rest = this.n - size;
    const restTotal = this.total - t;
    // Exact removal of a sub-sample from the pooled sum of squares.
    this.m2 = rest > 0 ? Math.max(0, this.m2 - v - ((size * rest) / this.n) * (t / size - restTotal / rest) ** 2) : 0;
    this.n = rest;
    this.total = restTotal;
    while (this.totals.length > 1 && this.totals[this.totals.length - 1]!.length === 0) {
      this.totals.pop();
      this.variances.pop();
    }
  }
}
