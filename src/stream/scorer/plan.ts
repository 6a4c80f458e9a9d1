/**
 * From a checked spec (and maybe a fitted model) to how each key's lane is made: the one place
 * that decides what scores a stream. Everything that can be wrong with the set-up fails here,
 * once, as an OptionsError: an unknown detector, a bad option, a threshold the warm-up cannot
 * calibrate, flags for another kind of scorer.
 */
import { OptionsError } from '../../core/errors.js';
import { createSeriesDetector, findSeriesDetector } from '../../detectors/series/registry.js';
import { Model } from '../../model/model.js';
import { SeriesModel } from '../../model/series-model.js';
import { POT_DEFAULT_LEVEL, POT_MIN_PEAKS } from '../../threshold/pot.js';
import type { ThresholdSpec } from '../../threshold/index.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import { makeDriftDetector } from '../drift/registry.js';
import { makeStreamDetector, STREAM_DETECTOR_SUMMARIES, STREAM_DETECTORS } from '../registry.js';
import { FixedThreshold, SpotThreshold, type StreamThreshold } from '../stream-detector.js';
import type { LaneKind } from './lane.js';
import { modelLanes } from './model-lane.js';
import { streamLanes } from './stream-lane.js';
import { learningLanes, seriesModelLanes } from './series-lane.js';
import type { ScorerSpec } from './spec.js';
import type { FittedModelLike } from './types.js';

/** Fewest warm-up scores SPOT's tail fit can work with: POT_MIN_PEAKS above its level's quantile. */
export const SPOT_MIN_WARMUP = Math.ceil(POT_MIN_PEAKS / (1 - POT_DEFAULT_LEVEL));

/** Default risk of the EVT thresholds. */
const DEFAULT_RISK = 1e-4;

const SERIES_ONLY = ['buffer', 'refitAfter', 'driftOn'] as const;

export function planLanes(spec: ScorerSpec, model?: FittedModelLike): LaneKind {
  if (spec.model !== undefined && model === undefined) throw new OptionsError(`the spec names model '${spec.model}'; give the fitted model with it`);
  if (spec.driftOn !== undefined && !spec.drift) throw new OptionsError('driftOn needs a drift watch (drift)');
  const drift = driftFactory(spec);
  if (model !== undefined) return modelPlan(spec, model, drift);
  const name = spec.detector;
  const isStream = (STREAM_DETECTORS as readonly string[]).includes(name);
  if (!isStream && findSeriesDetector(name)) return learningPlan(spec, name, drift);
  const seriesOnly = SERIES_ONLY.find((k) => spec[k] !== undefined);
  if (seriesOnly) throw new OptionsError(`${seriesOnly} is for series detectors and series models; '${name}' is a stream detector`);
  return streamPlan(spec, name, drift);
}

function driftFactory(spec: ScorerSpec): (() => DriftDetector) | null {
  const d = spec.drift;
  if (!d) return null;
  makeDriftDetector(d.kind, d.options); // bad options: one error now
  return () => makeDriftDetector(d.kind, d.options);
}

function streamPlan(spec: ScorerSpec, name: string, drift: (() => DriftDetector) | null): LaneKind {
  const t = spec.threshold;
  const known = (STREAM_DETECTORS as readonly string[]).includes(name);
  const fixedDefault = known && STREAM_DETECTOR_SUMMARIES[name as (typeof STREAM_DETECTORS)[number]].fixed !== undefined;
  const spot = t.kind === 'risk' || (t.kind === 'default' && known && !fixedDefault);
  if (spot && spec.warmup !== undefined && spec.warmup < SPOT_MIN_WARMUP) {
    throw new OptionsError(
      `warmup ${spec.warmup} is too short for the ${t.kind === 'risk' ? '' : 'default '}SPOT threshold: its tail fit needs at least ${SPOT_MIN_WARMUP} warm-up scores ` +
        `(${POT_MIN_PEAKS} above their ${POT_DEFAULT_LEVEL} quantile); give a warmup of ${SPOT_MIN_WARMUP} or more, or a fixed threshold value`,
    );
  }
  if (t.kind === 'risk' && !(t.q < 1 - POT_DEFAULT_LEVEL)) throw new OptionsError(`risk q must be below ${1 - POT_DEFAULT_LEVEL} for SPOT (its tail starts at the ${POT_DEFAULT_LEVEL} quantile), got ${t.q}`);
  const threshold = (): StreamThreshold | undefined => (t.kind === 'value' ? new FixedThreshold(t.value) : t.kind === 'risk' ? new SpotThreshold(t.q) : undefined);
  return streamLanes(() => makeStreamDetector(name, spec.options, { threshold: threshold(), warmup: spec.warmup }), drift);
}

function learningPlan(spec: ScorerSpec, name: string, drift: (() => DriftDetector) | null): LaneKind {
  createSeriesDetector(name, spec.options); // bad options: one error now
  const t = spec.threshold;
  const threshold: ThresholdSpec = t.kind === 'value' ? { kind: 'value', value: t.value } : { kind: 'pot', q: t.kind === 'risk' ? t.q : DEFAULT_RISK, level: POT_DEFAULT_LEVEL };
  const warmup = spec.warmup ?? 1000;
  return learningLanes({
    create: () => createSeriesDetector(name, spec.options),
    threshold,
    warmup,
    buffer: spec.buffer ?? Math.max(2000, warmup),
    drift,
    driftOn: spec.driftOn,
    refitAfter: spec.refitAfter,
  });
}

function modelPlan(spec: ScorerSpec, model: FittedModelLike, drift: (() => DriftDetector) | null): LaneKind {
  const own = model instanceof SeriesModel ? model.detectorName : model instanceof Model ? model.detector.name : undefined;
  if (own === undefined) throw new OptionsError('a stream scorer takes a Model or a SeriesModel');
  if (spec.detector !== own) throw new OptionsError(`the spec names detector '${spec.detector}' but the model's is '${own}'`);
  const given = (['warmup', 'channels'] as const).find((k) => spec[k] !== undefined) ?? (Object.keys(spec.options).length ? 'options' : undefined);
  if (given) throw new OptionsError(`${given} is for detectors learning online; a model brings its own columns, options and threshold`);
  if (spec.threshold.kind === 'risk') throw new OptionsError("threshold: a model brings its own threshold; only a fixed value ({kind: 'value'}, a recalibration) replaces it");
  // A fixed value replaces the model's cutoff (and judges its refits too, as for a detector learning online).
  const cutoff = spec.threshold.kind === 'value' ? spec.threshold.value : undefined;
  if (model instanceof SeriesModel) return seriesModelLanes(model, { drift, driftOn: spec.driftOn, buffer: spec.buffer, refitAfter: spec.refitAfter, threshold: cutoff });
  const seriesOnly = SERIES_ONLY.find((k) => spec[k] !== undefined);
  if (seriesOnly) throw new OptionsError(`${seriesOnly} is for series detectors and series models, not a tabular model`);
  return modelLanes(model, drift, cutoff ?? model.cutoff);
}
