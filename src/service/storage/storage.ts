/**
 * The service's one storage contract. Asynchronous although SQLite is not, because PostgreSQL
 * goes behind it later and the API and the scorer may then run in separate processes. No SQL
 * lives outside src/service/storage/.
 */
import { DataError } from '../../core/errors.js';
import type { AlertStore } from './alerting.js';
import type { JobStore } from './jobs.js';

export type Role = 'admin' | 'write' | 'read';

export interface Team {
  id: string;
  name: string;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  teamId: string;
  role: Role;
  /** sha256 of the key's secret part, hex. */
  hash: string;
  createdAt: number;
}

export interface StreamRecord {
  id: string;
  teamId: string;
  name: string;
  /** The scorer spec as given (detector, options, threshold, ...), already validated. */
  spec: Record<string, unknown>;
  /** One more on every change of the spec; stored with each score. */
  modelVersion: number;
  /** Points with seq above this are scored by `modelVersion` (0 until a spec change). */
  specSeq: number;
  /** Channel names, fixed by the first stored point (null until then). */
  channels: string[] | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewPoint {
  t: number;
  key: string;
  values: Record<string, number>;
}

/** The number of values whose only channel is `value` (a `{"t", "value"}` point), else null. */
export function loneValue(values: Record<string, number>): number | null {
  let n = 0;
  for (const k in values) if (++n > 1 || k !== 'value') return null;
  return n === 1 ? values['value']! : null;
}

export interface StoredPoint extends NewPoint {
  seq: number;
  streamId: string;
}

/** One call's points as committed: their seqs run from firstSeq, one after another. */
export interface CommittedRun {
  streamId: string;
  firstSeq: number;
  points: readonly NewPoint[];
}

export interface PointScore {
  seq: number;
  score: number | null;
  anomaly: boolean;
  threshold: number | null;
  channels: Record<string, number> | null;
  modelVersion: number;
  /** Why the scorer could not score this point (then score is null). */
  error: string | null;
}

export interface ReadPoint extends NewPoint {
  seq: number;
  score: PointScore | null;
}

export interface PointQuery {
  streamId: string;
  from?: number;
  to?: number;
  key?: string;
  limit: number;
  /** Newest first instead of oldest first. */
  latest?: boolean;
}

export interface Checkpoint {
  streamId: string;
  /** Every point of the stream up to this seq is in `state`. */
  seq: number;
  modelVersion: number;
  state: unknown;
}

export interface StreamStats {
  streamId: string;
  points: number;
  scored: number;
  lastT: number | null;
  anomaliesHour: number;
  anomaliesDay: number;
  /** Threshold of the newest scored point (null: warming up or none). */
  lastThreshold: number | null;
}

export interface SeriesKey {
  key: string;
  points: number;
  anomalies: number;
  lastT: number;
}

/** A point of a request refused by storage (time going back, channels that do not match); nothing of the request is stored. */
export class PointRejected extends DataError {
  override name = 'PointRejected';
  constructor(
    readonly index: number,
    readonly field: string,
    detail: string,
  ) {
    super(`point ${index}: ${field}: ${detail}`);
  }
}

export interface Storage {
  /** Settings by name (the admin token's hash, ...). */
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;

  createTeam(team: Team): Promise<void>;
  getTeam(id: string): Promise<Team | null>;
  findTeamByName(name: string): Promise<Team | null>;
  listTeams(): Promise<Team[]>;

  createKey(key: ApiKey): Promise<void>;
  getKey(id: string): Promise<ApiKey | null>;
  /** Keys of one team, or of every team. */
  listKeys(teamId?: string): Promise<ApiKey[]>;
  deleteKey(id: string): Promise<boolean>;

  createStream(stream: StreamRecord): Promise<void>;
  getStream(id: string): Promise<StreamRecord | null>;
  listStreams(teamId?: string): Promise<StreamRecord[]>;
  /** Replaces name and/or spec; a new spec bumps modelVersion and sets specSeq to the newest seq. */
  updateStream(id: string, change: { name?: string; spec?: Record<string, unknown> }): Promise<StreamRecord | null>;
  /** Deletes the stream with its points and checkpoints. */
  deleteStream(id: string): Promise<boolean>;

  /**
   * Stores the points of one request atomically, or none of them: a point whose time goes back
   * within its key (against what is stored and what came before it), or whose channels differ
   * from the stream's, rejects the whole call with PointRejected. Resolves once committed.
   */
  appendPoints(streamId: string, points: readonly NewPoint[]): Promise<void>;
  /**
   * Hears every commit of appended points from now on (null: stops), its calls in seq order, after
   * the commit: a change feed a scorer beside this connection takes instead of reading them back.
   */
  onCommitted(listener: ((runs: readonly CommittedRun[]) => void) | null): void;
  /** Points after `afterSeq` in commit order, across every stream (what the scorer reads). */
  pointsAfter(afterSeq: number, limit: number): Promise<StoredPoint[]>;
  saveScores(scores: readonly PointScore[]): Promise<void>;
  readPoints(q: PointQuery): Promise<ReadPoint[]>;
  maxSeq(): Promise<number>;

  saveCheckpoints(cps: readonly Checkpoint[]): Promise<void>;
  loadCheckpoints(): Promise<Checkpoint[]>;

  streamStats(streamIds: readonly string[], now: number): Promise<StreamStats[]>;
  /** The series of a stream by key, with their point and anomaly counts. */
  seriesKeys(streamId: string): Promise<SeriesKey[]>;

  /** Rules, sinks, incidents, the outbox and feedback (./alerting.ts). */
  readonly alerting: AlertStore;

  /** Datasets, training jobs, model versions, retrain and retention policies, shadow comparisons (./jobs.ts). */
  readonly jobs: JobStore;

  close(): Promise<void>;
}
