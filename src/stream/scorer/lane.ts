/**
 * One keyed series' scoring state inside a StreamScorer: a stream detector, a series detector or
 * series model behind the refit machinery, or a tabular model. The scorer checks each point and
 * the order of times before a lane sees it; a lane turns the checked point into a verdict.
 */
import type { ScorerEvent, ScorerPoint } from './types.js';

export interface LaneResult {
  score: number;
  anomaly: boolean;
  /** NaN while warming up. */
  threshold: number;
  warm: boolean;
  channels?: Float64Array;
  drift?: boolean;
  generation?: number;
  events?: ScorerEvent[];
}

export interface Lane {
  /** Scores then learns one point (`x`: its values in channel order); synchronous where the detector is. */
  push(x: Float64Array, point: ScorerPoint): LaneResult | Promise<LaneResult>;
  toJSON(): unknown;
}

/** How the lanes of one scorer are made: from scratch per new key, or from a checkpoint. */
export interface LaneKind {
  /** Channels fixed by the set-up (a model's columns), else null: the spec's or the first point's. */
  readonly channels: readonly string[] | null;
  /** Kinds that read more than numbers (a tabular model's text cells) check the point themselves; throws DataError. */
  check?(point: ScorerPoint): void;
  make(key: string): Lane;
  restore(key: string, state: unknown): Lane;
}
