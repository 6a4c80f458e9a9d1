/**
 * A series detector learning a stream from scratch: the first `warmup` points are buffered, the
 * detector is fitted on them in the background while later points keep arriving (answered
 * unscored, `warm: false`, and buffered too), and once the fit resolves a RefitStream takes over,
 * seeded with the buffered points so scoring has its context at once. Its threshold is the spec
 * fitted on the new detector's scores of the buffer. A failed fit is reported and retried after
 * another `warmup` points. Memory: at most `buffer` points before the fit, then the RefitStream's.
 */
import { FormatError, OptionsError } from '../core/errors.js';
import { matrix } from '../core/matrix.js';
import type { SeriesDetector } from '../detectors/series/series-detector.js';
import type { ThresholdSpec } from '../threshold/index.js';
import type { DriftDetector } from './drift/drift-detector.js';
import { RefitStream, type RefitEvent, type RefitResult, type RefitStreamOptions, type RefitStreamState } from './refit.js';
import { SpecThreshold } from './spec-threshold.js';

/** One series' stream of points, whatever scores it. */
export interface PointStream {
  update(x: Float64Array): Promise<StreamStep>;
  /** Resolves once no background fit runs. */
  settled(): Promise<void>;
}

export type LearningEvent = { type: 'fit-started'; points: number } | { type: 'fitted' } | { type: 'fit-failed'; error: string };

export interface StreamStep extends Omit<RefitResult, 'events'> {
  events: (RefitEvent | LearningEvent)[];
}

export interface LearningStreamOptions {
  create: () => SeriesDetector;
  threshold: ThresholdSpec;
  /** Points the first fit learns from. */
  warmup: number;
  /** Points kept (the refit stream's buffer); at least the warm-up. */
  buffer: number;
  drift: (() => DriftDetector) | null;
  /** Watch the joint score (default) or each input channel. */
  driftOn?: 'score' | 'input';
  refitAfter?: number;
}

/** Plain JSON of a LearningStream between points (no fit running). */
export interface LearningStreamState {
  format: 'vigil-learning-stream';
  version: 1;
  /** Points buffered before the first fit (empty once fitted). */
  points: number[][];
  sinceAttempt: number;
  events: LearningEvent[];
  /** The fitted stream, once the first fit is done. */
  stream: RefitStreamState | null;
}

export class LearningStream implements PointStream {
  private points: Float64Array[] = [];
  private sinceAttempt = 0;
  private fitting: Promise<void> | null = null;
  private stream: RefitStream | null = null;
  private events: LearningEvent[] = [];

  constructor(private readonly o: LearningStreamOptions) {
    if (!Number.isInteger(o.warmup) || o.warmup < 2) throw new OptionsError(`warmup must be a whole number >= 2, got ${o.warmup}`);
    if (!Number.isInteger(o.buffer) || o.buffer < o.warmup) throw new OptionsError(`buffer must be a whole number >= the warm-up (${o.warmup}), got ${o.buffer}`);
  }

  /** Everything held, as plain JSON; only with no fit running (await `settled()`). */
  toJSON(): LearningStreamState {
    if (this.fitting && !this.stream) throw new OptionsError('learning stream: a fit is running; await settled() before a checkpoint');
    return {
      format: 'vigil-learning-stream',
      version: 1,
      points: this.points.map((p) => Array.from(p)),
      sinceAttempt: this.sinceAttempt,
      events: [...this.events],
      stream: this.stream ? this.stream.toJSON() : null,
    };
  }

  /** A stream that goes on exactly as the one `state` was taken from, made with the same options. */
  static fromJSON(o: LearningStreamOptions, state: LearningStreamState): LearningStream {
    if (!state || state.format !== 'vigil-learning-stream' || state.version !== 1) throw new FormatError('not a learning stream state');
    const s = new LearningStream(o);
    s.points = state.points.map((p) => Float64Array.from(p));
    s.sinceAttempt = state.sinceAttempt;
    s.events = [...state.events];
    if (state.stream) s.stream = RefitStream.fromJSON(s.refitOptions(), state.stream);
    return s;
  }

  /** The refit stream once fitted (null before). */
  get refitStream(): RefitStream | null {
    return this.stream;
  }

  /** Resolves once no fit or refit runs (at once if none does). */
  async settled(): Promise<void> {
    while (this.fitting && !this.stream) await this.fitting;
    await this.stream?.settled();
  }

  async update(x: Float64Array): Promise<StreamStep> {
    if (this.stream) {
      const r = await this.stream.update(x);
      return { ...r, events: [...this.take(), ...r.events] };
    }
    if (this.points.length && x.length !== this.points[0]!.length) throw new OptionsError(`expected ${this.points[0]!.length} channels, got ${x.length}`);
    this.points.push(Float64Array.from(x));
    if (this.points.length > this.o.buffer) this.points.shift();
    this.sinceAttempt++;
    if (!this.fitting && this.sinceAttempt >= this.o.warmup) this.startFit();
    return { score: 0, anomaly: false, threshold: NaN, warm: false, drift: false, generation: 0, events: this.take() };
  }

  private take(): LearningEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  private startFit(): void {
    this.sinceAttempt = 0;
    const train = this.matrixOf(this.points);
    this.events.push({ type: 'fit-started', points: train.rows });
    const job = async (): Promise<{ detector: SeriesDetector; threshold: SpecThreshold }> => {
      const detector = this.o.create();
      await detector.fit(train);
      const scored = await detector.score(train);
      const threshold = new SpecThreshold(this.o.threshold);
      for (let i = scored.warmup; i < train.rows; i++) threshold.calibrate(scored.score[i]!);
      threshold.prepare();
      return { detector, threshold };
    };
    this.fitting = job().then(
      ({ detector, threshold }) => {
        this.stream = new RefitStream({ ...this.refitOptions(), detector, initialThreshold: threshold, history: this.matrixOf(this.points) });
        this.points = [];
        this.events.push({ type: 'fitted' });
      },
      (e: unknown) => {
        this.events.push({ type: 'fit-failed', error: e instanceof Error ? e.message : String(e) });
        this.fitting = null;
      },
    );
  }

  private refitOptions(): Omit<RefitStreamOptions, 'detector'> {
    const o = this.o;
    return { create: o.create, threshold: () => new SpecThreshold(o.threshold), drift: o.drift, driftOn: o.driftOn, buffer: o.buffer, refitAfter: o.refitAfter };
  }

  private matrixOf(points: Float64Array[]) {
    const d = points[0]!.length;
    const m = matrix(points.length, d);
    points.forEach((p, i) => m.data.set(p, i * d));
    return m;
  }
}
