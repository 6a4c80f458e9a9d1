/**
 * One stream per series id, made on the first point of each id. The number of series is capped,
 * since each holds a bounded buffer but their count is up to the input: a point of one series too
 * many is a DataError (the caller may skip it), never unbounded growth.
 */
import { DataError, OptionsError } from '../core/errors.js';

/** Default cap on the number of series one process streams. */
export const DEFAULT_MAX_SERIES = 1000;

export class KeyedStreams<S> {
  private readonly streams = new Map<string | null, S>();

  constructor(
    private readonly make: (id: string | null) => S,
    readonly maxSeries = DEFAULT_MAX_SERIES,
  ) {
    if (!Number.isInteger(maxSeries) || maxSeries < 1) throw new OptionsError(`maxSeries must be a whole number >= 1, got ${maxSeries}`);
  }

  get size(): number {
    return this.streams.size;
  }

  /** The stream of series `id`, made on first use. */
  get(id: string | null): S {
    let s = this.streams.get(id);
    if (s === undefined) {
      if (this.streams.size >= this.maxSeries) throw new DataError(`series '${id}' would be series ${this.maxSeries + 1}; at most ${this.maxSeries} are streamed at once`);
      s = this.make(id);
      this.streams.set(id, s);
    }
    return s;
  }
}
