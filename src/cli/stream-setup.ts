/**
 * `vigil stream`'s flags to the core's scorer: a ScorerSpec (and a model file, loaded here since
 * the core reads no files) for createStreamScorer, and the record layout. A flag that does not
 * apply to the choice is a usage error in flag terms; everything else about the set-up is checked
 * by the core, once, before any input is read.
 */
import { findSeriesDetector } from '../detectors/series/registry.js';
import { SeriesModel } from '../model/series-model.js';
import { loadAnyModel } from '../persist/file.js';
import { createStreamScorer, makeDriftDetector, STREAM_DETECTORS, type ScorerSpecInput, type StreamScorer } from '../stream/index.js';
import { numberFlag, wholeFlag } from './number-flags.js';
import { parseSetPairs } from './set-options.js';
import type { RecordLayout } from './stream-records.js';
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
  drift?: string;
  driftSet: string[];
  driftOn?: string;
  buffer?: string;
  refitAfter?: string;
  maxSeries?: string;
}

export interface StreamSetup {
  scorer: StreamScorer;
  layout: RecordLayout;
  /** A series detector or series model: results carry warm, drift, generation and events. */
  series: boolean;
}

/** Flags that only series models and series detectors read. */
const SERIES_ONLY = ['buffer', 'refitAfter', 'driftOn'] as const;

/** The scorer and layout the flags ask for; the spec is exactly what the service would store for the same choice. */
export async function streamSetup(o: StreamFlags): Promise<StreamSetup> {
  const { spec, model, layout, series } = await specFromFlags(o);
  return { scorer: createStreamScorer(spec, model), layout, series };
}

export async function specFromFlags(o: StreamFlags): Promise<{ spec: ScorerSpecInput; model?: Awaited<ReturnType<typeof loadAnyModel>>; layout: RecordLayout; series: boolean }> {
  if ((o.detector === undefined) === (o.model === undefined)) throw new UsageError('give --detector (learn online) or --model (a fitted model file)');
  if (o.driftSet.length && !o.drift) throw new UsageError('--drift-set needs --drift');
  if (o.driftOn !== undefined && o.driftOn !== 'score' && o.driftOn !== 'input') throw new UsageError(`--drift-on must be score or input, got '${o.driftOn}'`);
  if (o.driftOn !== undefined && !o.drift) throw new UsageError('--drift-on needs --drift');
  const driftOptions = parseSetPairs(o.driftSet);
  if (o.drift) makeDriftDetector(o.drift, driftOptions); // an unknown name in the flag's own words
  const common: ScorerSpecInput = {
    detector: '',
    drift: o.drift ? { kind: o.drift as 'adwin', options: driftOptions } : undefined,
    driftOn: o.driftOn as 'score' | 'input' | undefined,
    maxSeries: wholeFlag(o.maxSeries, '--max-series', 1),
    buffer: wholeFlag(o.buffer, '--buffer', 1),
    refitAfter: wholeFlag(o.refitAfter, '--refit-after'),
  };
  const seriesOnly = SERIES_ONLY.find((k) => o[k] !== undefined);
  if (o.model !== undefined) {
    const onlyDetector = (['set', 'risk', 'threshold', 'warmup', 'value'] as const).find((k) => (k === 'set' ? o.set.length > 0 : o[k] !== undefined));
    if (onlyDetector) throw new UsageError(`--${onlyDetector} is for stream detectors; a model file brings its own columns and threshold`);
    const model = await loadAnyModel(o.model);
    if (model instanceof SeriesModel) {
      if (o.seriesId !== undefined && model.seriesId !== null && o.seriesId !== model.seriesId) {
        throw new UsageError(`the model was fitted per '${model.seriesId}'; --series-id ${o.seriesId} does not match`);
      }
      const layout = { values: model.channels, timestamp: o.timestamp ?? model.timestamp, seriesId: model.seriesId ?? o.seriesId };
      return { spec: { ...common, detector: model.detectorName }, model, layout, series: true };
    }
    if (seriesOnly || o.seriesId !== undefined) throw new UsageError(`--${seriesOnly ? flagName(seriesOnly) : 'series-id'} is for series models and detectors`);
    return { spec: { ...common, detector: model.detector.name }, model, layout: { timestamp: o.timestamp, model: model.columns }, series: false };
  }
  if (o.risk !== undefined && o.threshold !== undefined) throw new UsageError('give --risk or --threshold, not both');
  const name = o.detector!;
  const series = !(STREAM_DETECTORS as readonly string[]).includes(name) && findSeriesDetector(name) !== undefined;
  if (!series && seriesOnly) throw new UsageError(`--${flagName(seriesOnly)} is for series models and detectors; '${name}' is a stream detector`);
  const spec: ScorerSpecInput = {
    ...common,
    detector: name,
    options: parseSetPairs(o.set),
    threshold: o.threshold !== undefined ? { kind: 'value', value: numberFlag(o.threshold, '--threshold') } : o.risk !== undefined ? { kind: 'risk', q: numberFlag(o.risk, '--risk') } : { kind: 'default' },
    warmup: wholeFlag(o.warmup, '--warmup'),
  };
  const layout = { values: o.value?.split(',').map((s) => s.trim()), timestamp: o.timestamp, seriesId: o.seriesId };
  return { spec, layout, series };
}

function flagName(k: (typeof SERIES_ONLY)[number]): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
