/** The points a StreamScorer takes and the verdicts it gives (the contract in STREAM-API.md). */
import type { Model } from '../../model/model.js';
import type { SeriesModel } from '../../model/series-model.js';
import type { LearningEvent } from '../learning.js';
import type { RefitEvent } from '../refit.js';
import type { ScorerSpec } from './spec.js';

export interface ScorerPoint {
  /** Epoch milliseconds (any number that does not go back within a key; only its order is read). */
  t: number;
  /** The series within the stream ('' or absent: the only one). */
  key?: string;
  /** One or more channels by name (a single value is { value: x }). */
  values: Record<string, number>;
  /** A tabular model's cells that are not numbers: categorical levels, or null for a missing cell. */
  fields?: Record<string, string | null>;
}

/** What happened to the model scoring a series since its previous point. */
export type ScorerEvent = RefitEvent | LearningEvent;

export interface ScoredPoint {
  t: number;
  key: string;
  score: number;
  anomaly: boolean;
  /** Null while warming up. */
  threshold: number | null;
  /** Per-channel scores, where the detector gives them (stream detectors on points of two or more channels). */
  channels?: Record<string, number>;
  warmingUp: boolean;
  /** Present when the spec watches drift: true where the drift detector fired. */
  drift?: boolean;
  /** Series detectors and series models: which model scored the point (0 the first, one more per swap). */
  generation?: number;
  /** Series detectors and series models: fits, refits and swaps since the previous point. */
  events?: ScorerEvent[];
}

/** A fitted model from `vigil fit` (or a training job) that scores a stream instead of a detector. */
export type FittedModelLike = Model | SeriesModel;

/** Plain JSON: a checkpoint of a whole scorer, to `restoreStreamScorer` from. */
export interface ScorerState {
  format: 'vigil-scorer';
  version: 1;
  spec: ScorerSpec;
  channels: string[] | null;
  series: { key: string; lastT: number; lane: unknown }[];
}

export interface StreamScorer {
  readonly spec: ScorerSpec;
  /** Channel names in order, once known (from the spec, the model, or the first point). */
  readonly channels: readonly string[] | null;
  /** Keyed series held now. */
  readonly seriesCount: number;
  /**
   * Scores then learns one point. Calls are served in the order made, so a caller may push many
   * without awaiting each. A bad point (a missing or unknown channel, a non-finite value, a time
   * going back within its key, one series too many) rejects with a DataError naming the field,
   * before any state changes; the caller decides to skip it or stop.
   */
  push(point: ScorerPoint): Promise<ScoredPoint>;
  /**
   * push over each point in order, whole or not at all: every point is checked first, and a bad
   * one rejects with a DataError naming it (`points[i]: ...`) before any point is scored.
   */
  pushMany(points: readonly ScorerPoint[]): Promise<ScoredPoint[]>;
  /** Plain-JSON checkpoint of everything (every key's detector, threshold, drift state); call after `settle`. */
  toJSON(): ScorerState;
  /** Resolves once every push made so far is done, so a checkpoint or a shutdown is clean. */
  settle(): Promise<void>;
}
