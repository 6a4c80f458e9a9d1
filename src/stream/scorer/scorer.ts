/**
 * The one scoring path (issue 15, section 4): what `vigil stream` and the service both call, so a
 * point scored by either gets the same score. A scorer holds one lane per key (each with its own
 * detector state, at most `maxSeries`), checks every point before any state changes, and serves
 * pushes in the order they were made.
 */
import { DataError, FormatError, VigilError } from '../../core/errors.js';
import { SeriesModel } from '../../model/series-model.js';
import { DEFAULT_MAX_SERIES } from '../keyed.js';
import type { Lane, LaneKind, LaneResult } from './lane.js';
import { planLanes } from './plan.js';
import { parseScorerSpec, type ScorerSpec } from './spec.js';
import type { FittedModelLike, ScoredPoint, ScorerPoint, ScorerState, StreamScorer } from './types.js';

/** A scorer for `spec` (a stream or series detector learning online, or `model`); a bad spec throws an OptionsError here. */
export function createStreamScorer(spec: ScorerSpec | unknown, model?: FittedModelLike): StreamScorer {
  const s = parseScorerSpec(spec);
  return new Scorer(s, planLanes(s, model), modelKind(model));
}

/** The scorer a checkpoint was taken from (with the same model, if it had one); later pushes score exactly as they would have. */
export function restoreStreamScorer(state: ScorerState, model?: FittedModelLike): StreamScorer {
  if (!state || state.format !== 'vigil-scorer' || state.version !== 1 || !Array.isArray(state.series)) throw new FormatError('not a stream scorer state');
  const kind = modelKind(model);
  if ((state.model ?? null) !== kind) {
    throw new FormatError(state.model ? `the checkpoint was taken with a ${state.model} model; restore it with that model` : `the checkpoint was taken without a model; restore it without one`);
  }
  const s = parseScorerSpec(state.spec);
  const scorer = new Scorer(s, planLanes(s, model), kind);
  scorer.load(state);
  return scorer;
}

function modelKind(model: FittedModelLike | undefined): ScorerState['model'] {
  return model === undefined ? null : model instanceof SeriesModel ? 'series' : 'tabular';
}

const NO_VALUES = new Float64Array(0);

/** A point that passed the checks, with its values in channel order. */
interface Checked {
  point: ScorerPoint;
  key: string;
  /** The first point of its key. */
  fresh: boolean;
  names: readonly string[];
  x: Float64Array;
}

interface Series {
  lane: Lane;
  lastT: number;
}

class Scorer implements StreamScorer {
  private readonly series = new Map<string, Series>();
  private readonly maxSeries: number;
  private names: readonly string[] | null;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    readonly spec: ScorerSpec,
    private readonly kind: LaneKind,
    private readonly model: ScorerState['model'],
  ) {
    this.maxSeries = spec.maxSeries ?? DEFAULT_MAX_SERIES;
    this.names = kind.channels ?? spec.channels ?? null;
  }

  get channels(): readonly string[] | null {
    return this.names;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  push(point: ScorerPoint): Promise<ScoredPoint> {
    return this.enqueue(() => this.step(this.check(point, this.series.get(point?.key ?? '')?.lastT, this.names, this.series.size)));
  }

  pushMany(points: readonly ScorerPoint[]): Promise<ScoredPoint[]> {
    return this.enqueue(async () => {
      // Every point is checked before any is scored: a batch is scored whole or not at all.
      const checked: Checked[] = [];
      const lastT = new Map<string, number>();
      let names = this.names;
      let count = this.series.size;
      for (let i = 0; i < points.length; i++) {
        const p = points[i]!;
        const key = typeof p?.key === 'string' ? p.key : '';
        try {
          const c = this.check(p, lastT.get(key) ?? this.series.get(key)?.lastT, names, count);
          if (c.fresh) count++;
          lastT.set(key, p.t);
          names = c.names;
          checked.push(c);
        } catch (e) {
          if (e instanceof DataError) throw new DataError(`points[${i}]: ${e.message}`);
          throw e;
        }
      }
      const out: ScoredPoint[] = [];
      for (const c of checked) {
        const r = this.step(c);
        out.push(r instanceof Promise ? await r : r);
      }
      return out;
    });
  }

  /** Runs `work` after every push made before it; pushes are served one at a time, in order. */
  private enqueue<T>(work: () => T | Promise<T>): Promise<T> {
    this.pending++;
    const run = this.queue.then(work);
    const done = (): void => void this.pending--;
    this.queue = run.then(done, done);
    return run;
  }

  async settle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  toJSON(): ScorerState {
    if (this.pending > 0) throw new VigilError('the scorer has points in flight; await settle() before a checkpoint');
    return {
      format: 'vigil-scorer',
      version: 1,
      spec: this.spec,
      model: this.model,
      channels: this.names === null ? null : [...this.names],
      series: [...this.series].map(([key, s]) => ({ key, lastT: s.lastT, lane: s.lane.toJSON() })),
    };
  }

  /** Fills a fresh scorer from a checkpoint of one made with the same spec. */
  load(state: ScorerState): void {
    if (state.channels !== null && !Array.isArray(state.channels)) throw new FormatError('scorer state: bad channels');
    if (this.kind.channels && state.channels && state.channels.join('\0') !== this.kind.channels.join('\0')) throw new FormatError("scorer state: its channels are not the model's columns");
    this.names = state.channels ?? this.names;
    for (const { key, lastT, lane } of state.series) {
      if (typeof key !== 'string' || typeof lastT !== 'number') throw new FormatError('scorer state: bad series entry');
      this.series.set(key, { lane: this.kind.restore(key, lane), lastT });
    }
  }

  /** Scores a checked point; synchronous where the lane is (stream detectors), so a batch costs no promise per point. */
  private step(c: Checked): ScoredPoint | Promise<ScoredPoint> {
    const { point, key } = c;
    const known = this.series.get(key);
    const s = known ?? { lane: this.kind.make(key), lastT: -Infinity };
    const r = s.lane.push(c.x, point);
    return r instanceof Promise ? r.then((r) => this.commit(c, s, known === undefined, r)) : this.commit(c, s, known === undefined, r);
  }

  /** Only a scored point changes what the scorer holds. */
  private commit(c: Checked, s: Series, fresh: boolean, r: LaneResult): ScoredPoint {
    if (fresh) this.series.set(c.key, s);
    this.names = c.names;
    s.lastT = c.point.t;
    return this.verdict(c.point.t, c.key, c.names, r);
  }

  /**
   * The point's key, channel names and values in channel order, given the key's last time, the
   * channels so far and the number of series; a DataError naming the field otherwise.
   */
  private check(point: ScorerPoint, last: number | undefined, known: readonly string[] | null, count: number): Checked {
    if (typeof point !== 'object' || point === null) throw new DataError('a point must be an object {t, key?, values}');
    const { t, values } = point;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new DataError(`t: ${JSON.stringify(t ?? null)} is not a finite number (epoch milliseconds)`);
    if (point.key !== undefined && typeof point.key !== 'string') throw new DataError(`key: ${JSON.stringify(point.key)} is not a string`);
    const key = point.key ?? '';
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new DataError('values: must be an object of channel values');
    if (last !== undefined && t < last) throw new DataError(`t: ${t} is before the previous time ${last}${key === '' ? '' : ` of key '${key}'`} (times must not go back within a key)`);
    const fresh = last === undefined;
    if (fresh && count >= this.maxSeries) throw new DataError(`key: series '${key}' would be series ${this.maxSeries + 1}; at most ${this.maxSeries} are scored at once`);
    if (fresh) this.kind.checkKey?.(key);
    // Counted in place: a list of the names per point was garbage the scorer's thread paid for in GC.
    let given = 0;
    for (const k in values) {
      const v = values[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError(`values.${k}: ${JSON.stringify(v ?? null)} is not a finite number`);
      given++;
    }
    if (this.kind.check) {
      this.kind.check(point);
      return { point, key, fresh, names: known!, x: NO_VALUES };
    }
    const names = known ?? Object.keys(values);
    if (!names.length) throw new DataError('values: a point needs at least one channel');
    const x = new Float64Array(names.length);
    for (let j = 0; j < names.length; j++) {
      const v = values[names[j]!];
      if (v === undefined) throw new DataError(`values.${names[j]}: missing (channels: ${names.join(', ')})`);
      x[j] = v;
    }
    if (given !== names.length) {
      const extra = Object.keys(values).find((k) => !names.includes(k))!;
      throw new DataError(`values.${extra}: not a channel of this stream (channels: ${names.join(', ')})`);
    }
    return { point, key, fresh, names, x };
  }

  private verdict(t: number, key: string, names: readonly string[], r: LaneResult): ScoredPoint {
    const out: ScoredPoint = {
      t,
      key,
      score: r.score,
      anomaly: r.anomaly,
      threshold: Number.isFinite(r.threshold) ? r.threshold : null,
      warmingUp: !r.warm,
    };
    if (r.channels) out.channels = Object.fromEntries(names.map((n, j) => [n, r.channels![j]!]));
    if (r.drift !== undefined) out.drift = r.drift;
    if (r.generation !== undefined) out.generation = r.generation;
    if (r.events !== undefined) out.events = r.events;
    return out;
  }
}
