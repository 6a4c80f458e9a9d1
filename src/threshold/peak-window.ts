/**
 * The peaks (excesses over the initial threshold) that streaming SPOT fits its GPD on. Unbounded,
 * as in the paper, or capped at `max`: then each peak also records the count k of values seen
 * when it arrived, and when a new peak pushes out the oldest, the values up to that oldest peak
 * are forgotten too (`kBase`), so N_t / (k - kBase) still estimates the share of values above t,
 * on the recent stream. Kept contiguous (a start offset, compacted when half the buffer is dead)
 * because every refit reads all of them in one pass.
 */
import { FormatError } from '../core/errors.js';

export class PeakWindow {
  private ys: Float64Array;
  private at: Float64Array;
  private start = 0;
  private n: number;

  /** `arrivals` (k at each peak's arrival) is required when `max` > 0 and ignored otherwise. */
  constructor(
    readonly max: number,
    peaks: ArrayLike<number>,
    arrivals: ArrayLike<number> | null,
    /** Values seen before the window: k - kBase of them are in it. */
    public kBase = 0,
  ) {
    if (max > 0 && (!arrivals || arrivals.length !== peaks.length)) throw new FormatError('a capped peak window needs one arrival per peak');
    const drop = max > 0 ? Math.max(0, peaks.length - max) : 0;
    if (drop > 0) this.kBase = arrivals![drop - 1]!;
    this.n = peaks.length - drop;
    const size = Math.max(16, this.n * 2);
    this.ys = new Float64Array(size);
    this.at = new Float64Array(max > 0 ? size : 0);
    for (let i = 0; i < this.n; i++) {
      this.ys[i] = peaks[drop + i]!;
      if (max > 0) this.at[i] = arrivals![drop + i]!;
    }
  }

  get count(): number {
    return this.n;
  }

  /** The peaks kept, oldest first (a view: valid until the next `add`). */
  values(): Float64Array {
    return this.ys.subarray(this.start, this.start + this.n);
  }

  /** Arrival counts of the kept peaks (capped windows only). */
  arrivals(): number[] | undefined {
    return this.max > 0 ? Array.from(this.at.subarray(this.start, this.start + this.n)) : undefined;
  }

  /** Adds the peak `y` that arrived as the k-th value; a full capped window first forgets its oldest. */
  add(y: number, k: number): void {
    if (this.max > 0 && this.n === this.max) {
      this.kBase = this.at[this.start]!;
      this.start++;
      this.n--;
    }
    if (this.start + this.n === this.ys.length) this.makeRoom();
    this.ys[this.start + this.n] = y;
    if (this.max > 0) this.at[this.start + this.n] = k;
    this.n++;
  }

  private makeRoom(): void {
    const capped = this.max > 0;
    if (this.start >= this.ys.length / 2) {
      this.ys.copyWithin(0, this.start, this.start + this.n);
      if (capped) this.at.copyWithin(0, this.start, this.start + this.n);
    } else {
      const ys = new Float64Array(this.ys.length * 2);
      ys.set(this.values());
      this.ys = ys;
      if (capped) {
        const at = new Float64Array(ys.length);
        at.set(this.at.subarray(this.start, this.start + this.n));
        this.at = at;
      }
    }
    this.start = 0;
  }
}
