/**
 * A series detector learning online (LearningStream) or a saved series model (its id's detector
 * behind a RefitStream), per key. A fit or refit is awaited at the point that starts it, so the
 * point where the new model takes over does not depend on how fast the machine fits: a stream
 * replayed from a checkpoint scores exactly as it did the first time.
 */
import { FormatError } from '../../core/errors.js';
import type { SeriesModel } from '../../model/series-model.js';
import { LearningStream, type LearningStreamOptions, type LearningStreamState } from '../learning.js';
import { restoreSeriesModelStream, seriesModelStream, type ModelStreamOptions } from '../model-stream.js';
import type { RefitStream, RefitStreamState } from '../refit.js';
import type { Lane, LaneKind, LaneResult } from './lane.js';

type Stream = LearningStream | RefitStream;

class SeriesLane implements Lane {
  constructor(
    private readonly stream: Stream,
    private readonly watchesDrift: boolean,
  ) {}

  async push(x: Float64Array): Promise<LaneResult> {
    const r = await this.stream.update(x);
    if (r.events.some((e) => e.type === 'fit-started' || e.type === 'refit-started')) await this.stream.settled();
    const out: LaneResult = { score: r.score, anomaly: r.anomaly, threshold: r.threshold, warm: r.warm, generation: r.generation, events: r.events };
    if (this.watchesDrift) out.drift = r.drift;
    return out;
  }

  toJSON(): unknown {
    return this.stream.toJSON();
  }
}

export function learningLanes(o: LearningStreamOptions): LaneKind {
  new LearningStream(o); // bad warm-up or buffer: one error at set-up
  const watches = o.drift !== null;
  return {
    channels: null,
    make: () => new SeriesLane(new LearningStream(o), watches),
    restore: (key, state) => {
      if ((state as { format?: unknown })?.format !== 'vigil-learning-stream') throw new FormatError(`scorer state: series '${key}' is not a series detector's`);
      return new SeriesLane(LearningStream.fromJSON(o, state as LearningStreamState), watches);
    },
  };
}

export function seriesModelLanes(model: SeriesModel, o: ModelStreamOptions): LaneKind {
  const id = (key: string): string | null => (model.seriesId === null ? null : key);
  const watches = o.drift !== null;
  if (model.seriesId === null) seriesModelStream(model, null, o); // bad buffer or refitAfter: one error at set-up
  return {
    channels: model.channels,
    make: (key) => new SeriesLane(seriesModelStream(model, id(key), o), watches),
    restore: (key, state) => {
      if ((state as { format?: unknown })?.format !== 'vigil-refit-stream') throw new FormatError(`scorer state: series '${key}' is not a series model's`);
      return new SeriesLane(restoreSeriesModelStream(model, id(key), o, state as RefitStreamState), watches);
    },
  };
}
