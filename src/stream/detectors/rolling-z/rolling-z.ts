/**
 * Rolling z-score: score = |x - mean| / sd over the last `window` values of each channel (sd with
 * ddof 0), computed before the point is learned. Running sums give O(1) updates; they are
 * recomputed from the window every `window` insertions so rounding cannot drift. Memory: one
 * ring buffer of `window` values per channel.
 */
import { FormatError } from '../../../core/errors.js';
import {
  BaseStreamDetector,
  checkState,
  positiveInt,
  type StreamCommonOptions,
} from '../../stream-detector.js';

export interface RollingZOptions extends StreamCommonOptions {
  /** Window length (default 100). Warm-up defaults to the window. */
  window?: number;
}

const SD_FLOOR = 1e-12;

export class RollingZ extends BaseStreamDetector {
  readonly name = 'rolling-z';
  readonly window: number;
  private buf = new Float64Array(0);
  private sum = new Float64Array(0);
  private sumSq = new Float64Array(0);
  /** Values held per channel (all channels move together) and the next slot to write. */
  private count = 0;
  private head = 0;
  private sinceRecompute = 0;

  constructor(opts: RollingZOptions = {}) {
    const window = positiveInt('rolling-z: window', opts.window ?? 100, 2);
    super(window, opts);
    this.window = window;
  }

  protected init(channels: number): void {
    this.buf = new Float64Array(channels * this.window);
    this.sum = new Float64Array(channels);
    this.sumSq = new Float64Array(channels);
  }

  protected channelScore(c: number, v: number): number {
    const n = this.count;
    if (n < 2) return 0;
    const m = this.sum[c]! / n;
    const variance = Math.max(0, this.sumSq[c]! / n - m * m);
    const d = Math.abs(v - m);
    return d === 0 ? 0 : d / Math.max(Math.sqrt(variance), SD_FLOOR);
  }

  protected learnChannel(c: number, v: number): void {
    if (!Number.isFinite(v)) throw new FormatError(`rolling-z: value ${v} is not a finite number`);
    const w = this.window;
    const i = c * w + this.head;
    if (this.count === w) {
      const old = this.buf[i]!;
      this.sum[c]! -= old;
      this.sumSq[c]! -= old * old;
    }
    this.buf[i] = v;
    this.sum[c]! += v;
    this.sumSq[c]! += v * v;
    if (c === this.channels - 1) {
      this.head = (this.head + 1) % w;
      if (this.count < w) this.count++;
      if (++this.sinceRecompute >= w) this.recompute();
    }
  }

  /** Recomputes the running sums exactly from the window. */
  private recompute(): void {
    const w = this.window;
    for (let c = 0; c < this.channels; c++) {
      let s = 0;
      let s2 = 0;
      for (let j = 0; j < this.count; j++) {
        const v = this.buf[c * w + j]!;
        s += v;
        s2 += v * v;
      }
      this.sum[c] = s;
      this.sumSq[c] = s2;
    }
    this.sinceRecompute = 0;
  }

  bufferedValues(): number {
    return this.count;
  }

  protected params(): Record<string, unknown> {
    return { window: this.window };
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      buf: Array.from(this.buf),
      sum: Array.from(this.sum),
      sumSq: Array.from(this.sumSq),
      count: this.count,
      head: this.head,
      sinceRecompute: this.sinceRecompute,
    };
  }

  static fromJSON(state: unknown): RollingZ {
    const s = checkState(state, 'rolling-z');
    const d = new RollingZ({ window: s.params['window'] as number, warmup: s.warmup });
    d.restoreCommon(s);
    const st = s.state as Record<string, number[] & number>;
    d.buf = Float64Array.from(st['buf'] ?? []);
    d.sum = Float64Array.from(st['sum'] ?? []);
    d.sumSq = Float64Array.from(st['sumSq'] ?? []);
    d.count = st['count'];
    d.head = st['head'];
    d.sinceRecompute = st['sinceRecompute'];
    if (d.buf.length !== d.channels * d.window || d.count > d.window) throw new FormatError('rolling-z: inconsistent state');
    return d;
  }
}
