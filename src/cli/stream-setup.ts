import { createSeriesDetector, findSeriesDetector } from '../detectors/series/registry.js';
import { SeriesModel } from '../model/series-model.js';
import { loadAnyModel } from '../persist/file.js';
import type { DriftDetector } from '../stream/drift/drift-detector.js';
import { KeyedStreams } from '../stream/keyed.js';
import { LearningStream, type PointStream } from '../stream/learning.js';
import { seriesModelStream } from '../stream/model-stream.js';
import { makeStreamDetector, STREAM_DETECTORS } from '../stream/registry.js';
import { FixedThreshold, SpotThreshold, type StreamDetector, type StreamThreshold } from '../stream/stream-detector.js';
import type { ThresholdSpec } from '../threshold/index.js';
import { numberFlag, wholeFlag } from './number-flags.js';
import { parseSetPairs } from './set-options.js';
import { detectorScorer, modelScorer, seriesScorer, type RecordScorer } from './stream-scorers.js';
import { UsageError } from './usage-error.js';

/** The `vigil stream` flags that choose what scores the points. */
export interface StreamFlags {
  detector?: string;
  model?: string;
  set: string[];
  risk?: string;
  threshold?: string;
  warmup?: string;
  value?: string;
  timestamp?: string;
  seriesId?: string;
  driftOn?: string;
  buffer?: string;
  refitAfter?: string;
  maxSeries?: string;
}

export interface Scoring {
  scorer: RecordScorer;
  timestamp?: string;
  seriesId?: string;
  /** A series stream: drift goes into it (refits) rather than being reported beside it. */
  series: boolean;
}

/** Flags that only series models and series detectors read. */
const SERIES_ONLY = ['buffer', 'refitAfter', 'driftOn'] as const;
type SeriesOnly = (typeof SERIES_ONLY)[number];

interface Common {
  drift: (() => DriftDetector) | null;
  driftOn?: 'score' | 'input';
  maxSeries?: number;
  buffer?: number;
  refitAfter?: number;
  /** Series-only flags given, by name. */
  seriesOnly: SeriesOnly[];
}

/**
 * What `vigil stream` scores with, from its flags: a model file (tabular or series), a series
 * detector learning online, or a stream detector. Each flag that does not apply to the choice is a
 * usage error rather than silently ignored.
 */
export async function makeScorer(o: StreamFlags, drift: (() => DriftDetector) | null): Promise<Scoring> {
  if ((o.detector === undefined) === (o.model === undefined)) throw new UsageError('give --detector (learn online) or --model (a fitted model file)');
  if (o.driftOn !== undefined && o.driftOn !== 'score' && o.driftOn !== 'input') throw new UsageError(`--drift-on must be score or input, got '${o.driftOn}'`);
  if (o.driftOn !== undefined && !drift) throw new UsageError('--drift-on needs --drift');
  const common: Common = {
    drift,
    driftOn: o.driftOn as Common['driftOn'],
    maxSeries: wholeFlag(o.maxSeries, '--max-series'),
    buffer: wholeFlag(o.buffer, '--buffer'),
    refitAfter: wholeFlag(o.refitAfter, '--refit-after'),
    seriesOnly: SERIES_ONLY.filter((k) => o[k] !== undefined),
  };
  if (o.model !== undefined) return modelScoring(o, o.model, common);
  if (o.risk !== undefined && o.threshold !== undefined) throw new UsageError('give --risk or --threshold, not both');
  const name = o.detector!;
  if (!(STREAM_DETECTORS as readonly string[]).includes(name) && findSeriesDetector(name)) return seriesDetectorScoring(o, name, common);
  return streamDetectorScoring(o, name, common);
}

async function modelScoring(o: StreamFlags, file: string, c: Common): Promise<Scoring> {
  const onlyDetector = (['set', 'risk', 'threshold', 'warmup', 'value'] as const).filter((k) => (k === 'set' ? o.set.length > 0 : o[k] !== undefined));
  if (onlyDetector.length) throw new UsageError(`--${onlyDetector[0]} is for stream detectors; a model file brings its own columns and threshold`);
  const model = await loadAnyModel(file);
  if (model instanceof SeriesModel) {
    if (o.seriesId !== undefined && model.seriesId !== null && o.seriesId !== model.seriesId) {
      throw new UsageError(`the model was fitted per '${model.seriesId}'; --series-id ${o.seriesId} does not match`);
    }
    const seriesId = model.seriesId ?? o.seriesId;
    const timestamp = o.timestamp ?? model.timestamp;
    const streams = new KeyedStreams((id) => seriesModelStream(model, id, { drift: c.drift, driftOn: c.driftOn, buffer: c.buffer, refitAfter: c.refitAfter }), c.maxSeries);
    return { scorer: seriesScorer(streams, { values: model.channels, timestamp, seriesId }), timestamp, seriesId, series: true };
  }
  if (c.seriesOnly.length || o.seriesId !== undefined) throw new UsageError(`--${c.seriesOnly.length ? flagName(c.seriesOnly[0]!) : 'series-id'} is for series models and detectors`);
  return { scorer: modelScorer(model), timestamp: o.timestamp, series: false };
}

function seriesDetectorScoring(o: StreamFlags, name: string, c: Common): Scoring {
  const options = parseSetPairs(o.set);
  createSeriesDetector(name, options); // bad options stop the run before any input
  const threshold: ThresholdSpec =
    o.threshold !== undefined ? { kind: 'value', value: numberFlag(o.threshold, '--threshold') } : { kind: 'pot', q: riskFlag(o.risk), level: 0.98 };
  const warmup = wholeFlag(o.warmup, '--warmup') ?? 1000;
  const learn = { create: () => createSeriesDetector(name, options), threshold, warmup, buffer: c.buffer ?? Math.max(2000, warmup), drift: c.drift, driftOn: c.driftOn, refitAfter: c.refitAfter };
  new LearningStream(learn);
  const streams = new KeyedStreams((): PointStream => new LearningStream(learn), c.maxSeries);
  return { scorer: seriesScorer(streams, layout(o)), timestamp: o.timestamp, seriesId: o.seriesId, series: true };
}

function streamDetectorScoring(o: StreamFlags, name: string, c: Common): Scoring {
  if (c.seriesOnly.length) throw new UsageError(`--${flagName(c.seriesOnly[0]!)} is for series models and detectors; '${name}' is a stream detector`);
  const fixed = o.threshold === undefined ? undefined : numberFlag(o.threshold, '--threshold');
  // Neither flag: the detector's own default (SPOT at 1e-4, or artime's fixed threshold).
  const makeThreshold = (): StreamThreshold | undefined =>
    fixed !== undefined ? new FixedThreshold(fixed) : o.risk !== undefined ? new SpotThreshold(riskFlag(o.risk)) : undefined;
  const warmup = wholeFlag(o.warmup, '--warmup');
  const sets = parseSetPairs(o.set);
  const make = (): StreamDetector => makeStreamDetector(name, sets, { threshold: makeThreshold(), warmup });
  // Each series gets its own detector; the first is made now, so bad options stop the run before any input.
  let spare: StreamDetector | null = make();
  const detectors = new KeyedStreams((): StreamDetector => {
    const d = spare ?? make();
    spare = null;
    return d;
  }, c.maxSeries);
  return { scorer: detectorScorer(detectors, layout(o)), timestamp: o.timestamp, seriesId: o.seriesId, series: false };
}

const layout = (o: StreamFlags) => ({ values: o.value?.split(',').map((s) => s.trim()), timestamp: o.timestamp, seriesId: o.seriesId });

function riskFlag(raw: string | undefined): number {
  return raw === undefined ? 1e-4 : numberFlag(raw, '--risk');
}

function flagName(k: SeriesOnly): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
