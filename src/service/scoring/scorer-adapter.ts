/**
 * The one place the service meets the core's stream scoring API (STREAM-API.md). Interim: until
 * `src/stream/scorer/` lands, this builds the same contract from the stream detector registry.
 */
import { DataError, FormatError, OptionsError } from '../../core/errors.js';
import { DEFAULT_MAX_SERIES } from '../../stream/keyed.js';
import { makeStreamDetector } from '../../stream/registry.js';
import { FixedThreshold, SpotThreshold, type StreamDetector, type StreamThreshold } from '../../stream/stream-detector.js';
import { RollingZ } from '../../stream/detectors/rolling-z/rolling-z.js';
import { RollingMad } from '../../stream/detectors/rolling-mad/rolling-mad.js';
import { EwmaDetector } from '../../stream/detectors/ewma/ewma.js';
import { Discord } from '../../stream/detectors/discord/discord.js';
import { Htm } from '../../stream/detectors/htm/htm.js';
import { Artime } from '../../stream/detectors/artime/artime.js';

export interface ScorerPoint {
  t: number;
  key?: string;
  values: Record<string, number>;
}

export interface ScoredPoint {
  t: number;
  key: string;
  score: number;
  anomaly: boolean;
  threshold: number | null;
  channels?: Record<string, number>;
  warmingUp: boolean;
}

export interface ServiceScorer {
  push(point: ScorerPoint): Promise<ScoredPoint>;
  toJSON(): unknown;
  settle(): Promise<void>;
}

type Threshold = { kind: 'value'; value: number } | { kind: 'risk'; q: number } | { kind: 'default' };
interface Spec {
  detector: string;
  options?: Record<string, unknown>;
  threshold?: Threshold;
  warmup?: number;
  maxSeries?: number;
}

const RESTORE: Record<string, (s: unknown) => StreamDetector> = {
  'rolling-z': RollingZ.fromJSON,
  'rolling-mad': RollingMad.fromJSON,
  ewma: EwmaDetector.fromJSON,
  discord: Discord.fromJSON,
  htm: Htm.fromJSON,
  artime: Artime.fromJSON,
};

interface Lane {
  detector: StreamDetector;
  lastT: number;
}

class InterimScorer implements ServiceScorer {
  readonly lanes = new Map<string, Lane>();
  channels: string[] | null = null;
  constructor(readonly spec: Spec) {}

  private make(): StreamDetector {
    const th = this.spec.threshold ?? { kind: 'default' };
    const threshold: StreamThreshold | undefined = th.kind === 'value' ? new FixedThreshold(th.value) : th.kind === 'risk' ? new SpotThreshold(th.q) : undefined;
    return makeStreamDetector(this.spec.detector, this.spec.options ?? {}, { threshold, warmup: this.spec.warmup });
  }

  check(): void {
    this.make();
  }

  async push(p: ScorerPoint): Promise<ScoredPoint> {
    const key = p.key ?? '';
    const names = Object.keys(p.values);
    if (!this.channels) this.channels = names;
    const x = Float64Array.from(this.channels, (c) => {
      const v = p.values[c];
      if (v === undefined || !Number.isFinite(v)) throw new DataError(`values.${c}: missing or not a finite number`);
      return v;
    });
    let lane = this.lanes.get(key);
    if (!lane) {
      if (this.lanes.size >= (this.spec.maxSeries ?? DEFAULT_MAX_SERIES)) throw new DataError(`key '${key}' would be one series too many`);
      lane = { detector: this.make(), lastT: -Infinity };
      this.lanes.set(key, lane);
    }
    if (p.t < lane.lastT) throw new DataError(`t: ${p.t} goes back within key '${key}'`);
    const channelScores = x.length > 1 ? lane.detector.explain(x) : null;
    const r = lane.detector.update(x.length === 1 ? x[0]! : x);
    lane.lastT = p.t;
    const out: ScoredPoint = { t: p.t, key, score: r.score, anomaly: r.anomaly, threshold: Number.isFinite(r.threshold) ? r.threshold : null, warmingUp: !r.warm };
    if (channelScores) out.channels = Object.fromEntries(this.channels.map((c, i) => [c, channelScores[i]!]));
    return out;
  }

  toJSON(): unknown {
    return { format: 'vigil-service-interim', spec: this.spec, channels: this.channels, series: [...this.lanes].map(([key, l]) => ({ key, lastT: l.lastT, state: l.detector.toJSON() })) };
  }

  async settle(): Promise<void> {}
}

function asSpec(spec: unknown): Spec {
  const s = spec as Spec;
  if (!s || typeof s.detector !== 'string') throw new OptionsError('a scorer needs a detector');
  return s;
}

/** A scorer for a spec; a bad detector or option throws here, once. */
export function createScorer(spec: unknown): ServiceScorer {
  const s = new InterimScorer(asSpec(spec));
  s.check();
  return s;
}

export function restoreScorer(state: unknown): ServiceScorer {
  const st = state as { format?: string; spec: Spec; channels: string[] | null; series: { key: string; lastT: number; state: { name: string } }[] };
  if (st?.format !== 'vigil-service-interim') throw new FormatError('not a scorer checkpoint');
  const s = new InterimScorer(asSpec(st.spec));
  s.channels = st.channels;
  for (const l of st.series) s.lanes.set(l.key, { detector: RESTORE[l.state.name]!(l.state), lastT: l.lastT });
  return s;
}
