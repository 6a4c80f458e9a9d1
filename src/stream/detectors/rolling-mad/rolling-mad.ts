/**
 * Rolling MAD: score = |x - median| / (1.4826 · MAD) over the last `window` values of each
 * channel, computed before the point is learned. Each channel keeps its window twice: in arrival
 * order (a ring buffer, to know what leaves) and sorted (binary search, O(window) shift per
 * update). The median is read off the sorted window; the MAD by merging the deviations below and
 * above the median, which are already sorted, up to the middle: O(window) per score, no sort.
 */
import { FormatError } from '../../../core/errors.js';
import { MAD_TO_SD } from '../../../core/stats.js';
import { BaseStreamDetector, checkState, positiveInt, type StreamCommonOptions } from '../../stream-detector.js';
import { lowerBound } from '../../../core/search.js';

export interface RollingMadOptions extends StreamCommonOptions {
  /** Window length (default 100). Warm-up defaults to the window. */
  window?: number;
}

const SD_FLOOR = 1e-12;

export class RollingMad extends BaseStreamDetector {
  readonly name = 'rolling-mad';
  readonly window: number;
  private ring = new Float64Array(0);
  private sorted = new Float64Array(0);
  private count = 0;
  private head = 0;

  constructor(opts: RollingMadOptions = {}) {
    const window = positiveInt('rolling-mad: window', opts.window ?? 100, 2);
    super(window, opts);
    this.window = window;
  }

  protected init(channels: number): void {
    this.ring = new Float64Array(channels * this.window);
    this.sorted = new Float64Array(channels * this.window);
  }

  protected channelScore(c: number, v: number): number {
    const n = this.count;
    if (n < 2) return 0;
    const s = this.sorted.subarray(c * this.window, c * this.window + n);
    const med = n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
    // Deviations: below the median (walking down from lo) and above it (walking up from hi).
    let lo = (n % 2 ? (n - 1) >> 1 : n / 2 - 1);
    let hi = lo + 1;
    const want = n % 2 ? [(n - 1) >> 1] : [n / 2 - 1, n / 2];
    let a = 0;
    let b = 0;
    for (let idx = 0; idx <= want[want.length - 1]!; idx++) {
      let d: number;
      if (hi >= n || (lo >= 0 && med - s[lo]! <= s[hi]! - med)) d = med - s[lo--]!;
      else d = s[hi++]! - med;
      if (idx === want[0]) a = d;
      if (idx === want[want.length - 1]) b = d;
    }
    const madv = want.length === 1 ? a : (a + b) / 2;
    const dev = Math.abs(v - med);
    return dev === 0 ? 0 : dev / Math.max(MAD_TO_SD * madv, SD_FLOOR);
  }

  protected learnChannel(c: number, v: number): void {
    if (!Number.isFinite(v)) throw new FormatError(`rolling-mad: value ${v} is not a finite number`);
    const w = this.window;
    const base = c * w;
    const s = this.sorted;
    let n = this.count;
    if (n === w) {
      const old = this.ring[base + this.head]!;
      let i = lowerBound(s, old, base, base + n);
      for (; i < base + n - 1; i++) s[i] = s[i + 1]!;
      n--;
    }
    let j = base + n;
    while (j > base && s[j - 1]! > v) {
      s[j] = s[j - 1]!;
      j--;
    }
    s[j] = v;
    this.ring[base + this.head] = v;
    if (c === this.channels - 1) {
      this.head = (this.head + 1) % w;
      if (this.count < w) this.count++;
    }
  }

  bufferedValues(): number {
    return this.count;
  }

  protected params(): Record<string, unknown> {
    return { window: this.window };
  }

  protected stateJSON(): Record<string, unknown> {
    return { ring: Array.from(this.ring), sorted: Array.from(this.sorted), count: this.count, head: this.head };
  }

  static fromJSON(state: unknown): RollingMad {
    const s = checkState(state, 'rolling-mad');
    const d = new RollingMad({ window: s.params['window'] as number, warmup: s.warmup });
    d.restoreCommon(s);
    const st = s.state as Record<string, number[] & number>;
    d.ring = Float64Array.from(st['ring'] ?? []);
    d.sorted = Float64Array.from(st['sorted'] ?? []);
    d.count = st['count'];
    d.head = st['head'];
    if (d.ring.length !== d.channels * d.window || d.sorted.length !== d.ring.length || d.count > d.window) {
      throw new FormatError('rolling-mad: inconsistent state');
    }
    return d;
  }
}
