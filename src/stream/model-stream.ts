/**
 * A saved series model streaming one series: its id's fitted detector scores from the first point
 * (the first `context` points score 0, unwarm: the model file holds no training data to give them
 * history), judged by the saved cutoff. With a drift detector, a drift starts a background refit
 * on the buffer, judged afterwards by the model's threshold spec fitted to the new scores. A fixed
 * threshold given in their place (a recalibration) judges the model and its refits alike.
 */
import type { SeriesModel } from '../model/series-model.js';
import type { DriftDetector } from './drift/drift-detector.js';
import { RefitStream, type RefitStreamOptions, type RefitStreamState } from './refit.js';
import { SpecThreshold } from './spec-threshold.js';
import { FixedThreshold } from './stream-detector.js';

export interface ModelStreamOptions {
  drift: (() => DriftDetector) | null;
  /** Watch the joint score (default) or each input channel. */
  driftOn?: 'score' | 'input';
  buffer?: number;
  refitAfter?: number;
  /** A fixed threshold in place of the saved cutoff and of the threshold spec refits calibrate (a recalibration). */
  threshold?: number;
}

export function seriesModelStream(model: SeriesModel, id: string | null, o: ModelStreamOptions): RefitStream {
  const entry = model.entry(id);
  const initialThreshold = o.threshold === undefined ? new SpecThreshold(model.threshold, entry.cutoff) : new FixedThreshold(o.threshold);
  return new RefitStream({ ...refitOptions(model, id, o), detector: entry.detector, initialThreshold });
}

/** The stream a checkpoint of `seriesModelStream(model, id, o)` was taken from. */
export function restoreSeriesModelStream(model: SeriesModel, id: string | null, o: ModelStreamOptions, state: RefitStreamState): RefitStream {
  return RefitStream.fromJSON(refitOptions(model, id, o), state);
}

function refitOptions(model: SeriesModel, id: string | null, o: ModelStreamOptions): Omit<RefitStreamOptions, 'detector'> {
  const entry = model.entry(id);
  const fixed = o.threshold;
  return {
    create: () => model.createDetector(),
    threshold: fixed === undefined ? () => new SpecThreshold(model.threshold) : () => new FixedThreshold(fixed),
    drift: o.drift,
    driftOn: o.driftOn,
    buffer: o.buffer ?? Math.max(2000, entry.detector.context + 1),
    refitAfter: o.refitAfter,
  };
}
