/**
 * Discord: the distance from the newest subsequence of each channel (its last `window` values,
 * raw, not z-normalised) to its nearest neighbour among the earlier subsequences that do not
 * overlap it and start at most `history` steps back: the left matrix profile of Yeh et al. (2016),
 * computed incrementally as in STAMPI. Every point learned joins the history, so a pattern that
 * recurs stops scoring high: the detector keeps learning on the stream, where a fitted profile
 * (seasonal) or a window statistic (rolling-z) does not. Score = RMS distance per step, in the
 * channel's units (standardise channels of different scales first, as the joint score is their
 * maximum).
 *
 * Per channel it keeps the last history + window + 1 values and, for every lag L in
 * [window, history], the squared distance D[L] between the window ending at the last point and
 * the one ending L steps earlier. A new point x_t updates D[L] in O(1):
 * D[L] += (x_t - x_{t-L})^2 - (x_{t-w} - x_{t-w-L})^2, so a step costs O(history), not
 * O(history * window); D is recomputed exactly every `history` steps so rounding cannot build up.
 */
import { FormatError } from '../../../core/errors.js';
import { BaseStreamDetector, checkState, positiveInt, type StreamCommonOptions } from '../../stream-detector.js';

export interface DiscordOptions extends StreamCommonOptions {
  /** Subsequence length (default 4). */
  window?: number;
  /** How far back (in steps) a neighbour may start; bounds memory (default 10,000). */
  history?: number;
}

export class Discord extends BaseStreamDetector {
  readonly name = 'discord';
  readonly window: number;
  readonly history: number;
  /** Ring of the last `ring` values per channel. */
  private readonly ring: number;
  private values = new Float64Array(0);
  /** Squared distances per channel and lag, (history + 1) per channel; lags below `window` unused. */
  private dist = new Float64Array(0);
  /** Points learned. */
  private count = 0;
  /**
   * The distances `channelScore` computed for (channel, point index, value), reused by the
   * `learnChannel` that follows in `update` so a step makes one pass over the lags, not two.
   */
  private pending = new Float64Array(0);
  /** Per channel, the point index and value `pending` holds distances for (-1: none). */
  private pendingT = new Float64Array(0);
  private pendingV = new Float64Array(0);

  constructor(opts: DiscordOptions = {}) {
    const window = positiveInt('discord: window', opts.window ?? 4);
    const history = positiveInt('discord: history', opts.history ?? 10_000, window + 1);
    super(2 * window, opts);
    this.window = window;
    this.history = history;
    this.ring = history + window + 1;
  }

  protected init(channels: number): void {
    this.values = new Float64Array(channels * this.ring);
    this.dist = new Float64Array(channels * (this.history + 1));
    this.pending = new Float64Array(channels * (this.history + 1));
    this.pendingT = new Float64Array(channels).fill(-1);
    this.pendingV = new Float64Array(channels);
  }

  private x(c: number, t: number): number {
    return this.values[c * this.ring + (t % this.ring)]!;
  }

  /** Largest lag with a full neighbour window when the newest point has index t. */
  private maxLag(t: number): number {
    return Math.min(this.history, t - this.window + 1);
  }

  protected channelScore(c: number, v: number): number {
    const t = this.count;
    if (this.maxLag(t) < this.window) return 0;
    const best = this.advance(c, t, v, this.pending);
    this.pendingT[c] = t;
    this.pendingV[c] = v;
    return Math.sqrt(Math.max(0, best) / this.window);
  }

  /**
   * Writes into `out` (same layout as `dist`) the squared distances of every lag once point t of
   * channel c is v, from `dist` at t - 1; returns their minimum. `out` may be `dist` itself.
   */
  private advance(c: number, t: number, v: number, out: Float64Array): number {
    const w = this.window;
    const ring = this.ring;
    const vals = this.values;
    const off = c * ring;
    const base = c * (this.history + 1);
    const top = this.maxLag(t);
    // The lag that just became complete has no previous distance to update.
    const fresh = t - w + 1 <= this.history ? t - w + 1 : -1;
    const last = fresh === top ? top - 1 : top;
    const leaving = vals[off + ((t - w) % ring)]!;
    // Ring positions of x[t - L] and x[t - w - L], walking down as L grows.
    let p1 = (t - w) % ring;
    let p2 = (t - 2 * w) % ring;
    let best = Infinity;
    for (let L = w; L <= last; L++) {
      const a = v - vals[off + p1]!;
      const b = leaving - vals[off + p2]!;
      const d = this.dist[base + L]! + a * a - b * b;
      out[base + L] = d;
      if (d < best) best = d;
      p1 = p1 === 0 ? ring - 1 : p1 - 1;
      p2 = p2 === 0 ? ring - 1 : p2 - 1;
    }
    if (fresh === top) {
      const d = this.direct(c, t, top, v);
      out[base + top] = d;
      if (d < best) best = d;
    }
    return best;
  }

  /** Squared distance between the windows ending at t (whose last value is v) and at t - L. */
  private direct(c: number, t: number, L: number, v: number): number {
    let s = 0;
    for (let k = 0; k < this.window; k++) {
      const d = (k === 0 ? v : this.x(c, t - k)) - this.x(c, t - L - k);
      s += d * d;
    }
    return s;
  }

  protected learnChannel(c: number, v: number): void {
    if (!Number.isFinite(v)) throw new FormatError(`discord: value ${v} is not a finite number`);
    const t = this.count;
    const w = this.window;
    const top = this.maxLag(t);
    const base = c * (this.history + 1);
    if (top >= w) {
      if (t % this.history === 0) {
        for (let L = w; L <= top; L++) this.dist[base + L] = this.direct(c, t, L, v);
      } else if (this.pendingT[c] === t && this.pendingV[c] === v) {
        this.dist.set(this.pending.subarray(base + w, base + top + 1), base + w);
      } else {
        this.advance(c, t, v, this.dist);
      }
    }
    this.pendingT[c] = -1;
    this.values[c * this.ring + (t % this.ring)] = v;
    if (c === this.channels - 1) this.count++;
  }

  bufferedValues(): number {
    return Math.min(this.count, this.ring);
  }

  protected params(): Record<string, unknown> {
    return { window: this.window, history: this.history };
  }

  protected stateJSON(): Record<string, unknown> {
    return { values: Array.from(this.values), dist: Array.from(this.dist), count: this.count };
  }

  static fromJSON(state: unknown): Discord {
    const s = checkState(state, 'discord');
    const d = new Discord({ window: s.params['window'] as number, history: s.params['history'] as number, warmup: s.warmup });
    d.restoreCommon(s);
    const st = s.state as Record<string, unknown>;
    d.values = Float64Array.from((st['values'] as number[]) ?? []);
    d.dist = Float64Array.from((st['dist'] as number[]) ?? []);
    d.count = st['count'] as number;
    if (
      d.values.length !== d.channels * d.ring ||
      d.dist.length !== d.channels * (d.history + 1) ||
      !Number.isInteger(d.count) ||
      d.count < 0
    ) {
      throw new FormatError('discord: inconsistent state');
    }
    return d;
  }
}
