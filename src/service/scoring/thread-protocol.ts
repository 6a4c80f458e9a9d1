/** What the HTTP thread and the scorer's thread (scorer-thread.ts, thread-host.ts) tell each other. */
import type { StreamEvent } from '../events/bus.js';
import type { SqliteOptions } from '../storage/sqlite/sqlite-storage.js';
import type { PackedRun } from './point-feed.js';
import type { WorkerOptions } from './worker.js';

export interface ScorerThreadData {
  /** The `--db` URL; the thread opens a connection of its own. */
  db: string;
  synchronous?: SqliteOptions['synchronous'];
  /** The turn at writing, shared with the HTTP thread's connection (storage/sqlite/write-lock.ts). */
  writeLock: SharedArrayBuffer;
  /** Where model files are (a stream spec with `model`). */
  dataDir: string;
  worker: Pick<WorkerOptions, 'batch' | 'checkpointMs' | 'checkpointPoints' | 'pollMs'>;
  /** The thread's alert processor: how often its quiet timer looks (ms), and a test's clock (a SharedClock's buffer; else the wall clock). */
  alerting: { quietCheckMs?: number; clock?: SharedArrayBuffer };
}

export type ToScorer =
  /** Points were committed. */
  | { type: 'wake' }
  /** What was committed, for the scorer to take instead of reading it back (point-feed.ts). */
  | { type: 'points'; runs: PackedRun[] }
  | { type: 'invalidate'; streamId: string }
  | { type: 'forget'; streamId: string }
  /** The event bus topics someone listens to (the thread builds events only for them). */
  | { type: 'topics'; topics: string[] }
  /** Score what is committed, checkpoint, close, exit. */
  | { type: 'stop' };

export type FromScorer =
  | { type: 'ready'; scoredThrough: number }
  /**
   * One turn's news: progress, the events for the bus, counts for the metrics ([team, stream, points, anomalies];
   * alerts raised as [team, stream, type]; incidents opened as [team, stream]), new outbox rows.
   */
  | { type: 'batch'; scoredThrough: number; events: StreamEvent[]; scored: [string, string, number, number][]; alerted: [string, string, string][]; opened: [string, string][]; delivery: boolean }
  | { type: 'log'; msg: string };
