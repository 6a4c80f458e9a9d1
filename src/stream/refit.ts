/**
 * Streams points through a fitted batch series detector (deep ones included) and relearns it when
 * the data drift, without stopping the stream.
 *
 * Scoring: each arriving point (or micro-batch) is scored together with the `context` points
 * before it, one `score` call per batch, so the results equal the batch scores of the whole series.
 * Drift: a drift detector watches the scores (or each input channel). On a drift it waits
 * `refitAfter` further points, so that the refit learns the new regime rather than the old one,
 * then fits a fresh detector on the last `buffer` points in the background: `update` keeps scoring
 * with the current model meanwhile. When the fit resolves, the new model's threshold is calibrated
 * on its scores of the same buffer, and model and threshold are swapped in one assignment; a result
 * in flight finishes with the model it started with. A failed refit keeps the old model.
 * What happened is reported on the next result as events.
 *
 * Memory: the last `buffer` points, plus whatever the detector and the drift detector hold.
 */
import { FormatError, OptionsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import type { SeriesDetector } from '../detectors/series/series-detector.js';
import { detectorStateFromJSON, detectorStateToJSON, type DetectorStateJSON } from './detector-state.js';
import { Adwin } from './drift/adwin.js';
import type { DriftDetector } from './drift/drift-detector.js';
import { driftFromJSON } from './drift/registry.js';
import { SpotThreshold, thresholdFromJSON, type StreamResult, type StreamThreshold, type ThresholdState } from './stream-detector.js';

export type RefitEvent =
  | { type: 'drift' }
  | { type: 'refit-started'; points: number }
  | { type: 'swapped'; generation: number }
  | { type: 'refit-failed'; error: string };

export interface RefitResult extends StreamResult {
  /** True when the drift detector fired at this point. */
  drift: boolean;
  /** Which model scored the point: 0 the one given, then one more per swap. */
  generation: number;
  /** What happened since the previous result (drift at this point, refits started, swaps, failures). */
  events: RefitEvent[];
}

export interface RefitStreamOptions {
  /** A fitted detector: it scores from the first point on. */
  detector: SeriesDetector;
  /** A fresh, unfitted detector of the same kind, for each refit. */
  create: () => SeriesDetector;
  /** A drift detector per watched stream (default ADWIN with δ = 0.002); null: no drift watch, so no refit. */
  drift?: (() => DriftDetector) | null;
  /** Watch the joint score (default) or every input channel. */
  driftOn?: 'score' | 'input';
  /** A fresh threshold per model (default SPOT with q = 1e-3). */
  threshold?: () => StreamThreshold;
  /** Scores that calibrate the first model's threshold before any judgement (default 1000; 0 with `initialThreshold`). */
  warmup?: number;
  /** The first model's threshold, already calibrated (a saved model's cutoff, say); refits still use `threshold`. */
  initialThreshold?: StreamThreshold;
  /** Points before the stream (the training tail): they fill the buffer, so scoring has its context at once. */
  history?: Matrix;
  /** Recent points kept, the refit's training series (default 2000; more than the context). */
  buffer?: number;
  /** Points after a drift before the refit starts (default: the buffer, so it holds only the new regime). */
  refitAfter?: number;
}

/** Plain JSON of a RefitStream between points (no refit running); see `toJSON`. */
export interface RefitStreamState {
  format: 'vigil-refit-stream';
  version: 1;
  detector: DetectorStateJSON;
  threshold: ThresholdState;
  generation: number;
  calibrating: number;
  channels: number;
  ring: number[];
  head: number;
  held: number;
  seen: number;
  refitAt: number | null;
  drifts: unknown[];
  events: RefitEvent[];
}

interface Current {
  detector: SeriesDetector;
  threshold: StreamThreshold;
  generation: number;
  /** Scores still to feed to `threshold.calibrate` before judging. */
  calibrating: number;
}

export class RefitStream {
  private current: Current;
  private readonly create: () => SeriesDetector;
  private readonly makeDrift: (() => DriftDetector) | null;
  private readonly makeThreshold: () => StreamThreshold;
  private readonly driftOn: 'score' | 'input';
  private readonly capacity: number;
  private readonly refitAfter: number;
  private drifts: DriftDetector[] = [];
  private channels = 0;
  /** Ring of the last `capacity` points; `head` is where the next goes. */
  private ring = new Float64Array(0);
  private head = 0;
  private held = 0;
  private seen = 0;
  private refitAt: number | null = null;
  private pending: Promise<void> | null = null;
  private events: RefitEvent[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(o: RefitStreamOptions) {
    if (!o.detector.fitted) throw new OptionsError('refit stream: the detector must be fitted');
    this.create = o.create;
    this.makeDrift = o.drift === null ? null : (o.drift ?? (() => new Adwin()));
    this.makeThreshold = o.threshold ?? (() => new SpotThreshold(1e-3));
    this.driftOn = o.driftOn ?? 'score';
    this.capacity = o.buffer ?? 2000;
    if (!Number.isInteger(this.capacity) || this.capacity <= o.detector.context) {
      throw new OptionsError(`refit stream: buffer must be a whole number above the detector's context (${o.detector.context}), got ${this.capacity}`);
    }
    this.refitAfter = o.refitAfter ?? this.capacity;
    if (!Number.isInteger(this.refitAfter) || this.refitAfter < 0) throw new OptionsError(`refit stream: refitAfter must be a whole number >= 0, got ${this.refitAfter}`);
    const warmup = o.warmup ?? (o.initialThreshold ? 0 : 1000);
    if (!Number.isInteger(warmup) || warmup < 0) throw new OptionsError(`refit stream: warmup must be a whole number >= 0, got ${warmup}`);
    this.current = { detector: o.detector, threshold: o.initialThreshold ?? this.makeThreshold(), generation: 0, calibrating: warmup };
    if (o.history && o.history.rows > 0) {
      this.init(o.history.cols);
      for (let i = 0; i < o.history.rows; i++) this.remember(o.history.data.subarray(i * this.channels, (i + 1) * this.channels));
    }
  }

  /**
   * Everything the stream holds, as plain JSON: the scoring model's learned state, its threshold,
   * the buffer, the drift watch. Only between points with no refit running (await `settled()`),
   * since a fit in flight is not data.
   */
  toJSON(): RefitStreamState {
    if (this.pending) throw new OptionsError('refit stream: a refit is running; await settled() before a checkpoint');
    const c = this.current;
    return {
      format: 'vigil-refit-stream',
      version: 1,
      detector: detectorStateToJSON(c.detector.getState()),
      threshold: c.threshold.toJSON(),
      generation: c.generation,
      calibrating: c.calibrating,
      channels: this.channels,
      ring: Array.from(this.ring),
      head: this.head,
      held: this.held,
      seen: this.seen,
      refitAt: this.refitAt,
      drifts: this.drifts.map((d) => d.toJSON()),
      events: [...this.events],
    };
  }

  /** A stream that goes on exactly as the one `state` was taken from; `o` as that stream was made, less its detector. */
  static fromJSON(o: Omit<RefitStreamOptions, 'detector' | 'history' | 'initialThreshold'>, state: RefitStreamState): RefitStream {
    if (!state || state.format !== 'vigil-refit-stream' || state.version !== 1) throw new FormatError('not a refit stream state');
    const detector = o.create();
    detector.setState(detectorStateFromJSON(state.detector));
    const s = new RefitStream({ ...o, detector, warmup: 0 });
    if (state.ring.length !== s.capacity * state.channels) throw new FormatError('refit stream state: the buffer does not match the buffer size');
    s.current = { detector, threshold: thresholdFromJSON(state.threshold), generation: state.generation, calibrating: state.calibrating };
    s.channels = state.channels;
    s.ring = Float64Array.from(state.ring);
    s.head = state.head;
    s.held = state.held;
    s.seen = state.seen;
    s.refitAt = state.refitAt;
    s.drifts = state.drifts.map(driftFromJSON);
    s.events = [...state.events];
    return s;
  }

  /** Points held now (at most the buffer): what the memory grows with, bounded. */
  get buffered(): number {
    return this.held;
  }

  /** Generation of the model scoring now. */
  get generation(): number {
    return this.current.generation;
  }

  /** True while a refit runs in the background. */
  get refitting(): boolean {
    return this.pending !== null;
  }

  /** Resolves once no refit is running (at once if none is). */
  async settled(): Promise<void> {
    while (this.pending) await this.pending;
  }

  /** Scores, judges and records one point. Calls are served in order even if not awaited. */
  update(x: Float64Array | number): Promise<RefitResult> {
    const p = typeof x === 'number' ? Float64Array.of(x) : x;
    return this.updateMany(matrix(1, p.length, Float64Array.from(p))).then((r) => r[0]!);
  }

  /** As `update` for a micro-batch of points (rows, in time order): one `score` call for all. */
  updateMany(points: Matrix): Promise<RefitResult[]> {
    const run = this.queue.then(() => this.step(points));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async step(points: Matrix): Promise<RefitResult[]> {
    if (this.channels === 0) this.init(points.cols);
    if (points.cols !== this.channels) throw new OptionsError(`refit stream: expected ${this.channels} channels, got ${points.cols}`);
    const model = this.current;
    const context = model.detector.context;
    const history = Math.min(this.held, context);
    const series = this.recent(history, points);
    const scored = series.rows > context ? await model.detector.score(series) : null;
    const out: RefitResult[] = [];
    for (let j = 0; j < points.rows; j++) {
      const i = history + j;
      const has = scored !== null && i >= scored.warmup;
      const score = has ? scored.score[i]! : 0;
      let anomaly = false;
      let threshold = NaN;
      let warm = false;
      if (has && model.calibrating > 0) {
        model.threshold.calibrate(score);
        model.calibrating--;
      } else if (has) {
        ({ anomaly, threshold } = model.threshold.judge(score));
        warm = true;
      }
      const point = points.data.subarray(j * this.channels, (j + 1) * this.channels);
      const drift = has && this.watch(score, point);
      const events = this.events;
      this.events = [];
      if (drift) {
        events.push({ type: 'drift' });
        if (this.refitAt === null && !this.pending) this.refitAt = this.seen + 1 + this.refitAfter;
      }
      this.remember(point);
      if (this.refitAt !== null && this.seen >= this.refitAt && !this.pending) {
        this.refitAt = null;
        events.push({ type: 'refit-started', points: this.held });
        this.startRefit();
      }
      out.push({ score, anomaly, threshold, warm, drift, generation: model.generation, events });
    }
    return out;
  }

  private init(channels: number): void {
    if (channels < 1) throw new OptionsError('refit stream: a point needs at least one channel');
    this.channels = channels;
    this.ring = new Float64Array(this.capacity * channels);
    const make = this.makeDrift;
    this.drifts = make ? Array.from({ length: this.driftOn === 'score' ? 1 : channels }, () => make()) : [];
  }

  private watch(score: number, point: Float64Array): boolean {
    if (!this.drifts.length) return false;
    if (this.driftOn === 'score') return this.drifts[0]!.update(score);
    let fired = false;
    for (let c = 0; c < point.length; c++) if (this.drifts[c]!.update(point[c]!)) fired = true;
    return fired;
  }

  private remember(point: Float64Array): void {
    this.ring.set(point, this.head * this.channels);
    this.head = (this.head + 1) % this.capacity;
    this.held = Math.min(this.held + 1, this.capacity);
    this.seen++;
  }

  /** The last `history` remembered points followed by `points`, as one series. */
  private recent(history: number, points?: Matrix): Matrix {
    const extra = points?.rows ?? 0;
    const out = matrix(history + extra, this.channels);
    for (let k = 0; k < history; k++) {
      const slot = (this.head - history + k + this.capacity) % this.capacity;
      out.data.set(this.ring.subarray(slot * this.channels, (slot + 1) * this.channels), k * this.channels);
    }
    if (points) out.data.set(points.data, history * this.channels);
    return out;
  }

  private startRefit(): void {
    const series = this.recent(this.held);
    const generation = this.current.generation + 1;
    const job = async (): Promise<Current> => {
      const detector = this.create();
      await detector.fit(series);
      const threshold = this.makeThreshold();
      const scored = await detector.score(series);
      for (let i = scored.warmup; i < series.rows; i++) threshold.calibrate(scored.score[i]!);
      threshold.prepare?.();
      return { detector, threshold, generation, calibrating: 0 };
    };
    this.pending = job().then(
      (next) => {
        this.current = next;
        // The new model's scores follow a new law: the old drift statistics no longer apply.
        for (const d of this.drifts) d.reset();
        this.events.push({ type: 'swapped', generation });
        this.pending = null;
      },
      (e: unknown) => {
        this.events.push({ type: 'refit-failed', error: e instanceof Error ? e.message : String(e) });
        this.pending = null;
      },
    );
  }
}
