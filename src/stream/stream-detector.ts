/**
 * Streaming detectors (River-style): a small interface of its own, separate from the batch
 * `Detector`. A stream detector scores one point against what it has learned so far, then learns
 * from it; memory is bounded (a fixed window or O(1) moments). Thresholds are separate objects
 * (`StreamThreshold`): a fixed value, or an EVT threshold (SPOT) calibrated on the warm-up scores.
 * No point is flagged before the warm-up is over. All state is plain JSON.
 */
import { FormatError, OptionsError } from '../core/errors.js';
import { Spot, type SpotState } from '../threshold/spot.js';

export type StreamPoint = Float64Array | number;

export interface StreamResult {
  score: number;
  anomaly: boolean;
  /** The threshold the score was judged against (NaN while warming up without one). */
  threshold: number;
  /** True once the warm-up is over; before it `anomaly` is always false. */
  warm: boolean;
  /** Per-channel scores of a point of two or more channels (the joint score is their maximum). */
  channels?: Float64Array;
}

export interface StreamDetector {
  readonly name: string;
  /** Learns from one point without scoring it. */
  learnOne(x: StreamPoint): void;
  /** Scores one point against the current state, without learning. */
  scoreOne(x: StreamPoint): number;
  /** Scores, judges (after warm-up) and then learns one point. */
  update(x: StreamPoint): StreamResult;
  /** Per-channel scores of a point (the joint score is their maximum). */
  explain(x: StreamPoint): Float64Array;
  /** Largest number of values held in any internal buffer (bounded by the window). */
  bufferedValues(): number;
  toJSON(): StreamDetectorState;
}

export interface StreamDetectorState {
  format: 'vigil-stream';
  version: 1;
  name: string;
  seen: number;
  warmup: number;
  threshold: ThresholdState;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
}

export type ThresholdState =
  | { kind: 'fixed'; value: number }
  | { kind: 'spot'; q: number; calibration: number[]; spot: SpotState | null };

/** Judges a score; `calibrate` sees warm-up scores (no judgement). */
export interface StreamThreshold {
  calibrate(score: number): void;
  judge(score: number): { anomaly: boolean; threshold: number };
  /** Finishes calibration now (else the first `judge` does); throws when the scores cannot calibrate it. */
  prepare?(): void;
  toJSON(): ThresholdState;
}

export class FixedThreshold implements StreamThreshold {
  constructor(readonly value: number) {
    if (!Number.isFinite(value)) throw new OptionsError(`threshold must be a finite number, got ${value}`);
  }
  calibrate(): void {}
  judge(score: number): { anomaly: boolean; threshold: number } {
    return { anomaly: score > this.value, threshold: this.value };
  }
  toJSON(): ThresholdState {
    return { kind: 'fixed', value: this.value };
  }
}

/**
 * EVT threshold with risk q: the warm-up scores calibrate a SPOT model (src/threshold/spot.ts),
 * which then judges and follows every later score. Memory: the warm-up scores until calibration,
 * then SPOT's peaks (about 2% of the scores seen; see Spot), at most the last MAX_PEAKS of them,
 * so the tail is estimated on roughly the last half million scores and memory stays bounded.
 */
export class SpotThreshold implements StreamThreshold {
  /** Default warm-up when a SPOT threshold is used and no warm-up is given. */
  static readonly MIN_CALIBRATION = 1000;
  /** Peaks SPOT keeps (80 kB each for the excesses and their arrival counts). */
  static readonly MAX_PEAKS = 10_000;
  private calibration: number[];
  private spot: Spot | null;
  constructor(
    readonly q: number,
    state?: { calibration: number[]; spot: SpotState | null },
  ) {
    if (!(q > 0 && q < 1)) throw new OptionsError(`risk q must be in (0, 1), got ${q}`);
    this.calibration = state ? [...state.calibration] : [];
    this.spot = state?.spot ? Spot.fromJSON(state.spot) : null;
  }
  calibrate(score: number): void {
    if (Number.isFinite(score)) this.calibration.push(score);
  }
  prepare(): void {
    if (this.spot) return;
    this.spot = Spot.calibrate(this.calibration, { q: this.q, maxPeaks: SpotThreshold.MAX_PEAKS });
    this.calibration = [];
  }
  judge(score: number): { anomaly: boolean; threshold: number } {
    this.prepare();
    const s = Number.isFinite(score) ? score : Number.MAX_VALUE;
    return this.spot!.update(s);
  }
  toJSON(): ThresholdState {
    return { kind: 'spot', q: this.q, calibration: [...this.calibration], spot: this.spot ? this.spot.toJSON() : null };
  }
}

export function thresholdFromJSON(s: ThresholdState): StreamThreshold {
  if (s.kind === 'fixed') return new FixedThreshold(s.value);
  if (s.kind === 'spot') return new SpotThreshold(s.q, s);
  throw new FormatError(`unknown stream threshold kind ${(s as { kind: unknown }).kind}`);
}

export interface StreamCommonOptions {
  /**
   * Points seen before any judgement (default: the detector's own, e.g. its window, and at least
   * 1000 with a SPOT threshold, whose tail fit needs at least 10 warm-up scores above their 0.98
   * quantile).
   */
  warmup?: number;
  /** A fixed threshold, or an EVT threshold; default SPOT with q = 1e-4. */
  threshold?: StreamThreshold;
}

/** Shared update/threshold/warm-up logic; subclasses implement per-channel scoring and learning. */
export abstract class BaseStreamDetector implements StreamDetector {
  abstract readonly name: string;
  protected seen = 0;
  protected readonly warmup: number;
  protected threshold: StreamThreshold;
  /** Number of channels, fixed by the first point (0 until then). */
  protected channels = 0;

  constructor(defaultWarmup: number, opts: StreamCommonOptions) {
    // SPOT needs enough warm-up scores for its tail fit (10 peaks above the 0.98 quantile).
    const spot = opts.threshold === undefined || opts.threshold instanceof SpotThreshold;
    const w = opts.warmup ?? (spot ? Math.max(defaultWarmup, SpotThreshold.MIN_CALIBRATION) : defaultWarmup);
    if (!Number.isInteger(w) || w < 0) throw new OptionsError(`warmup must be a whole number >= 0, got ${w}`);
    this.warmup = w;
    this.threshold = opts.threshold ?? new SpotThreshold(1e-4);
  }

  protected abstract init(channels: number): void;
  protected abstract channelScore(c: number, v: number): number;
  protected abstract learnChannel(c: number, v: number): void;
  abstract bufferedValues(): number;
  protected abstract params(): Record<string, unknown>;
  protected abstract stateJSON(): Record<string, unknown>;

  private ensure(x: StreamPoint): void {
    const n = typeof x === 'number' ? 1 : x.length;
    if (this.channels === 0) {
      if (n === 0) throw new OptionsError(`${this.name}: a point needs at least one channel`);
      this.channels = n;
      this.init(n);
    } else if (n !== this.channels) {
      throw new OptionsError(`${this.name}: expected ${this.channels} channels, got ${n}`);
    }
  }

  learnOne(x: StreamPoint): void {
    this.ensure(x);
    if (typeof x === 'number') this.learnChannel(0, x);
    else for (let c = 0; c < x.length; c++) this.learnChannel(c, x[c]!);
    this.seen++;
  }

  scoreOne(x: StreamPoint): number {
    this.ensure(x);
    if (typeof x === 'number') return this.channelScore(0, x);
    return jointScore(this.explain(x));
  }

  explain(x: StreamPoint): Float64Array {
    this.ensure(x);
    if (typeof x === 'number') return Float64Array.of(this.channelScore(0, x));
    const out = new Float64Array(x.length);
    for (let c = 0; c < x.length; c++) out[c] = this.channelScore(c, x[c]!);
    return out;
  }

  get isWarm(): boolean {
    return this.seen >= this.warmup;
  }

  update(x: StreamPoint): StreamResult {
    const channels = typeof x !== 'number' && x.length > 1 ? this.explain(x) : undefined;
    const score = channels ? jointScore(channels) : this.scoreOne(x);
    const warm = this.seen >= this.warmup;
    let result: StreamResult;
    if (warm) {
      const j = this.threshold.judge(score);
      result = { score, anomaly: j.anomaly, threshold: j.threshold, warm };
    } else {
      this.threshold.calibrate(score);
      result = { score, anomaly: false, threshold: NaN, warm };
    }
    if (channels) result.channels = channels;
    this.learnOne(x);
    return result;
  }

  toJSON(): StreamDetectorState {
    return {
      format: 'vigil-stream',
      version: 1,
      name: this.name,
      seen: this.seen,
      warmup: this.warmup,
      threshold: this.threshold.toJSON(),
      params: this.params(),
      state: { channels: this.channels, ...this.stateJSON() },
    };
  }

  /** Restores the shared part; subclasses call this from their `fromJSON`. */
  protected restoreCommon(s: StreamDetectorState): void {
    this.seen = s.seen;
    this.threshold = thresholdFromJSON(s.threshold);
    const ch = s.state['channels'];
    if (typeof ch !== 'number' || !Number.isInteger(ch) || ch < 0) throw new FormatError(`${this.name}: bad channel count in state`);
    this.channels = ch;
    if (ch > 0) this.init(ch);
  }
}

/** The joint score of per-channel scores: their maximum, at least 0 (NaN channels are passed over). */
function jointScore(channels: Float64Array): number {
  let m = 0;
  for (let c = 0; c < channels.length; c++) {
    const s = channels[c]!;
    if (s > m || Number.isNaN(m)) m = s;
  }
  return m;
}

export function checkState(state: unknown, name: string): StreamDetectorState {
  const s = state as StreamDetectorState;
  if (!s || s.format !== 'vigil-stream' || s.version !== 1 || s.name !== name || typeof s.state !== 'object') {
    throw new FormatError(`not a ${name} stream state`);
  }
  return s;
}

/** Guards a positive whole-number option. */
export function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new OptionsError(`${name} must be a whole number >= ${min}, got ${v}`);
  return v;
}
