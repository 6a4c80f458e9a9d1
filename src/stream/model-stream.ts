/**
 * A saved series model streaming one series: its id's fitted detector scores from the first point
 * (the first `context` points score 0, unwarm: the model file holds no training data to give them
 * history), judged by the saved cutoff. With a drift detector, a drift starts a background refit
 * on the buffer, judged afterwards by the model's threshold spec fitted to the new scores.
 */
import type { SeriesModel } from '../model/series-model.js';
import type { DriftDetector } from './drift/drift-detector.js';
import { RefitStream, type RefitStreamOptions, type RefitStreamState } from './refit.js';
import { SpecThreshold } from './spec-threshold.js';

export interface ModelStreamOptions {
  drift: (() => DriftDetector) | null;
  /** Watch the joint score (default) or each input channel. */
  driftOn?: 'score' | 'input';
  buffer?: number;
  refitAfter?: number;
}

export function seriesModelStream(model: SeriesModel, id: string | null, o: ModelStreamOptions): RefitStream {
  const entry = model.entry(id);
  return new RefitStream({ ...refitOptions(model, id, o), detector: entry.detector, initialThreshold: new SpecThreshold(model.threshold, entry.cutoff) });
}

/** The stream a checkpoint of `seriesModelStream(model, id, o)` was taken from. */
export function restoreSeriesModelStream(model: SeriesModel, id: string | null, o: ModelStreamOptions, state: RefitStreamState): RefitStream {
  return RefitStream.fromJSON(refitOptions(model, id, o), state);
}

function refitOptions(model: SeriesModel, id: string | null, o: ModelStreamOptions): Omit<RefitStreamOptions, 'detector'> {
  const entry = model.entry(id);
  return {
    create: () => model.createDetector(),
    threshold: () => new SpecThreshold(model.threshold),
    drift: o.drift,
    driftOn: o.driftOn,
    buffer: o.buffer ?? Math.max(2000, entry.detector.context + 1),
    refitAfter: o.refitAfter,
  };
}
