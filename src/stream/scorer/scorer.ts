/**
 * The one scoring path (issue 15, section 4): what `vigil stream` and the service both call, so a
 * point scored by either gets the same score. A scorer holds one lane per key (each with its own
 * detector state, at most `maxSeries`), checks every point before any state changes, and serves
 * pushes in the order they were made.
 */
import { DataError, FormatError } from '../../core/errors.js';
import { DEFAULT_MAX_SERIES } from '../keyed.js';
import type { Lane, LaneKind, LaneResult } from './lane.js';
import { planLanes } from './plan.js';
import { parseScorerSpec, type ScorerSpec } from './spec.js';
import type { FittedModelLike, ScoredPoint, ScorerPoint, ScorerState, StreamScorer } from './types.js';

/** A scorer for `spec` (a stream or series detector learning online, or `model`); a bad spec throws an OptionsError here. */
export function createStreamScorer(spec: ScorerSpec | unknown, model?: FittedModelLike): StreamScorer {
  const s = parseScorerSpec(spec);
  return new Scorer(s, planLanes(s, model));
}

/** The scorer a checkpoint was taken from (with the same model, if it had one); later pushes score exactly as they would have. */
export function restoreStreamScorer(state: ScorerState, model?: FittedModelLike): StreamScorer {
  if (!state || state.format !== 'vigil-scorer' || state.version !== 1 || !Array.isArray(state.series)) throw new FormatError('not a stream scorer state');
  const s = parseScorerSpec(state.spec);
  const scorer = new Scorer(s, planLanes(s, model));
  scorer.load(state);
  return scorer;
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
    this.pending++;
    const run = this.queue.then(() => this.step(point));
    const done = (): void => void this.pending--;
    this.queue = run.then(done, done);
    return run;
  }

  async pushMany(points: readonly ScorerPoint[]): Promise<ScoredPoint[]> {
    const out: ScoredPoint[] = [];
    for (const p of points) out.push(await this.push(p));
    return out;
  }

  async settle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  toJSON(): ScorerState {
    if (this.pending > 0) throw new DataError('the scorer has points in flight; await settle() before a checkpoint');
    return {
      format: 'vigil-scorer',
      version: 1,
      spec: this.spec,
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

  private async step(point: ScorerPoint): Promise<ScoredPoint> {
    const { key, names, x } = this.check(point);
    let s = this.series.get(key);
    const fresh = s === undefined;
    if (s === undefined) {
      if (this.series.size >= this.maxSeries) throw new DataError(`key: series '${key}' would be series ${this.maxSeries + 1}; at most ${this.maxSeries} are scored at once`);
      s = { lane: this.kind.make(key), lastT: -Infinity };
    }
    const r = await s.lane.push(x, point);
    // Only a scored point changes what the scorer holds.
    if (fresh) this.series.set(key, s);
    this.names = names;
    s.lastT = point.t;
    return this.verdict(point.t, key, names, r);
  }

  /** The point's key, channel names and values in channel order; a DataError naming the field otherwise. */
  private check(point: ScorerPoint): { key: string; names: readonly string[]; x: Float64Array } {
    if (typeof point !== 'object' || point === null) throw new DataError('a point must be an object {t, key?, values}');
    const { t, values } = point;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new DataError(`t: ${JSON.stringify(t ?? null)} is not a finite number (epoch milliseconds)`);
    if (point.key !== undefined && typeof point.key !== 'string') throw new DataError(`key: ${JSON.stringify(point.key)} is not a string`);
    const key = point.key ?? '';
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new DataError('values: must be an object of channel values');
    const last = this.series.get(key)?.lastT;
    if (last !== undefined && t < last) throw new DataError(`t: ${t} is before the previous time ${last}${key === '' ? '' : ` of key '${key}'`} (times must not go back within a key)`);
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError(`values.${k}: ${JSON.stringify(v ?? null)} is not a finite number`);
    }
    if (this.kind.check) {
      this.kind.check(point);
      return { key, names: this.names!, x: new Float64Array(0) };
    }
    const names = this.names ?? Object.keys(values);
    if (!names.length) throw new DataError('values: a point needs at least one channel');
    const x = new Float64Array(names.length);
    for (let j = 0; j < names.length; j++) {
      const v = values[names[j]!];
      if (v === undefined) throw new DataError(`values.${names[j]}: missing (channels: ${names.join(', ')})`);
      x[j] = v;
    }
    if (Object.keys(values).length !== names.length) {
      const extra = Object.keys(values).find((k) => !names.includes(k))!;
      throw new DataError(`values.${extra}: not a channel of this stream (channels: ${names.join(', ')})`);
    }
    return { key, names, x };
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
