/**
 * Storage on embedded SQLite (better-sqlite3, WAL). Appends from concurrent requests are
 * group-committed: every call made within one turn of the event loop goes into one transaction,
 * each call's points checked as a unit (so one bad request stores nothing and does not fail the
 * others), and every call resolves only after that transaction has committed.
 *
 * The scorer's thread writes scores on a connection of its own, so every transaction that writes
 * begins IMMEDIATE: it waits for the write lock up front (busy_timeout) instead of failing when
 * it reads first and the other connection commits in between.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import {
  PointRejected,
  type ApiKey,
  type Checkpoint,
  type CommittedRun,
  type NewPoint,
  type PointQuery,
  type PointScore,
  type ReadPoint,
  type SeriesKey,
  type Storage,
  type StoredPoint,
  type StreamRecord,
  type StreamStats,
  type Team,
  loneValue,
} from '../storage.js';
import { migrate } from './migrate.js';
import { SqliteAlertStore } from './alert-store.js';
import { SqliteJobStore } from './job-store.js';
import { decodeValues } from './point-values.js';
import { WriteLock } from './write-lock.js';

export interface SqliteOptions {
  /**
   * SQLite's `synchronous` in WAL mode. NORMAL (default): a committed transaction survives the
   * process being killed, not a power cut. FULL: it also survives a power cut (one fsync per group).
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * A second connection to a database another connection of this process owns (the scorer's
   * thread): nothing cached (the owner changes streams and keys), no checkpoint thread of its own.
   */
  secondary?: boolean;
  /** The turn at writing shared with this process's other connections to the database (write-lock.ts); one of its own if not given. */
  writeLock?: SharedArrayBuffer;
  /** How often series_last is written (ms, default 1000); tests give Infinity to leave it all to the fold-in after a crash. */
  seriesLastMs?: number;
}

/** Rows in one multi-row INSERT. */
const INSERT_ROWS = 64;
/** Columns of one point row, and of one score row in saveScores' VALUES. */
const POINT_COLS = 5;
const SCORE_COLS = 7;
/** The setting through whose seq series_last is complete (migration 005 starts it). */
const SERIES_LAST_SEQ = 'series_last_seq';

type Args = (string | number | null)[];

/** `rows` rows of `cols` parameters each, for a multi-row VALUES. */
const placeholders = (rows: number, cols: number): string => Array(rows).fill(`(${Array(cols).fill('?').join(', ')})`).join(', ');

/** A point's columns from `at`: stream, key, t, and its values (a lone value as a number, else JSON). */
function putPoint(args: Args, at: number, streamId: string, p: NewPoint): void {
  const value = loneValue(p.values);
  args[at] = streamId;
  args[at + 1] = p.key;
  args[at + 2] = p.t;
  args[at + 3] = value;
  args[at + 4] = value === null ? JSON.stringify(p.values) : null;
}

/** A score's columns from `at`, as saveScoresSql's VALUES take them. */
function putScore(args: Args, at: number, s: PointScore): void {
  args[at] = s.seq;
  args[at + 1] = s.score;
  args[at + 2] = s.anomaly ? 1 : 0;
  args[at + 3] = s.threshold;
  args[at + 4] = s.channels && JSON.stringify(s.channels);
  args[at + 5] = s.modelVersion;
  args[at + 6] = s.error;
}

interface AppendJob {
  streamId: string;
  points: readonly NewPoint[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface StreamRow {
  id: string;
  team_id: string;
  name: string;
  spec: string;
  model_version: number;
  spec_seq: number;
  channels: string | null;
  created_at: number;
  updated_at: number;
}

interface PointRow {
  seq: number;
  key: string;
  t: number;
  value: number | null;
  vals: string | null;
  score: number | null;
  anomaly: number | null;
  threshold: number | null;
  channels: string | null;
  model_version: number | null;
  error: string | null;
}

const toStream = (r: StreamRow): StreamRecord => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  spec: JSON.parse(r.spec) as Record<string, unknown>,
  modelVersion: r.model_version,
  specSeq: r.spec_seq,
  channels: r.channels === null ? null : (JSON.parse(r.channels) as string[]),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface KeyRow {
  id: string;
  team_id: string;
  role: ApiKey['role'];
  hash: string;
  created_at: number;
}

const toKey = (r: KeyRow): ApiKey => ({ id: r.id, teamId: r.team_id, role: r.role, hash: r.hash, createdAt: r.created_at });

const toTeam = (r: { id: string; name: string; created_at: number }): Team => ({ id: r.id, name: r.name, createdAt: r.created_at });

function toReadPoint(r: PointRow): ReadPoint {
  return {
    seq: r.seq,
    t: r.t,
    key: r.key,
    values: decodeValues(r.value, r.vals),
    score:
      r.model_version === null
        ? null
        : {
            seq: r.seq,
            score: r.score,
            anomaly: r.anomaly === 1,
            threshold: r.threshold,
            channels: r.channels === null ? null : (JSON.parse(r.channels) as Record<string, number>),
            modelVersion: r.model_version,
            error: r.error,
          },
  };
}

export class SqliteStorage implements Storage {
  private readonly db: Database;
  private readonly st: Record<string, Statement>;
  private pending: AppendJob[] = [];
  private flushScheduled = false;
  /**
   * Newest stored t per stream and key (loaded on first use); the time-order check reads it. The
   * table series_last is written from here once a second (seriesLastMs), not on every commit (it was a
   * thousand upserts per batched request); the setting `series_last_seq` says up to which seq it
   * is complete, and the points after that are folded in before the first check after a start.
   */
  private readonly lastT = new Map<string, Map<string, number>>();
  /** Series whose newest time is not yet in series_last, by stream. */
  private readonly unsavedLastT = new Map<string, Set<string>>();
  private lastTSavedAt = Date.now();
  private recentFolded = false;
  /** Channel names per stream, as stored. */
  private readonly channelsOf = new Map<string, string[] | null>();
  /**
   * Streams and keys read on every request, cached: this process is the only writer of both
   * (SQLite has one writing process), and every change here updates or drops the entry.
   */
  private readonly streamCache = new Map<string, StreamRecord | null>();
  private readonly keyCache = new Map<string, ApiKey | null>();
  private closed = false;
  private committed: ((runs: readonly CommittedRun[]) => void) | null = null;
  readonly alerting: SqliteAlertStore;
  readonly jobs: SqliteJobStore;
  private readonly lock: WriteLock;
  private checkpointer: Worker | null = null;

  private readonly secondary: boolean;
  private readonly seriesLastMs: number;

  constructor(path: string, opts: SqliteOptions = {}) {
    this.secondary = opts.secondary ?? false;
    this.seriesLastMs = opts.seriesLastMs ?? 1000;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new BetterSqlite3(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Checkpoints run in a thread of their own (checkpoint-thread.ts), not inside a commit here.
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma('journal_size_limit = 67108864');
    this.lock = new WriteLock(opts.writeLock);
    this.lock.hold(() => migrate(this.db));
    this.alerting = new SqliteAlertStore(this.db, (fn) => this.write(fn));
    this.jobs = new SqliteJobStore(this.db, (fn) => this.write(fn));
    if (path !== ':memory:' && !this.secondary) {
      this.checkpointer = new Worker(new URL('./checkpoint-thread.js', import.meta.url), { workerData: { path, everyMs: 500 } });
      this.checkpointer.unref();
    }
    const p = (sql: string): Statement => this.db.prepare(sql);
    this.st = {
      getSetting: p('SELECT value FROM settings WHERE name = ?'),
      setSetting: p('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'),
      createTeam: p('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)'),
      getTeam: p('SELECT * FROM teams WHERE id = ?'),
      teamByName: p('SELECT * FROM teams WHERE name = ?'),
      listTeams: p('SELECT * FROM teams ORDER BY created_at, id'),
      createKey: p('INSERT INTO api_keys (id, team_id, role, hash, created_at) VALUES (?, ?, ?, ?, ?)'),
      getKey: p('SELECT * FROM api_keys WHERE id = ?'),
      deleteKey: p('DELETE FROM api_keys WHERE id = ?'),
      listKeys: p('SELECT * FROM api_keys ORDER BY created_at, id'),
      listTeamKeys: p('SELECT * FROM api_keys WHERE team_id = ? ORDER BY created_at, id'),
      createStream: p(
        'INSERT INTO streams (id, team_id, name, spec, model_version, spec_seq, channels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      getStream: p('SELECT * FROM streams WHERE id = ?'),
      listStreams: p('SELECT * FROM streams ORDER BY created_at, id'),
      listTeamStreams: p('SELECT * FROM streams WHERE team_id = ? ORDER BY created_at, id'),
      renameStream: p('UPDATE streams SET name = ?, updated_at = ? WHERE id = ?'),
      respecStream: p('UPDATE streams SET spec = ?, model_version = model_version + 1, spec_seq = (SELECT COALESCE(MAX(seq), 0) FROM points), updated_at = ? WHERE id = ?'),
      deleteStream: p('DELETE FROM streams WHERE id = ?'),
      setChannels: p('UPDATE streams SET channels = ? WHERE id = ?'),
      insertPoint: p(this.insertPointsSql(1)),
      insertPoints: p(this.insertPointsSql(INSERT_ROWS)),
      lastT: p('SELECT last_t AS t FROM series_last WHERE stream_id = ? AND key = ?'),
      setLastT: p('INSERT INTO series_last (stream_id, key, last_t) VALUES (?, ?, ?) ON CONFLICT (stream_id, key) DO UPDATE SET last_t = excluded.last_t'),
      recentLastT: p('SELECT stream_id, key, MAX(t) AS t FROM points WHERE seq > ? GROUP BY stream_id, key'),
      pointsAfter: p('SELECT seq, stream_id, key, t, value, vals FROM points WHERE seq > ? ORDER BY seq LIMIT ?').raw(true),
      // A score for a point deleted meanwhile (its stream deleted) is dropped by the join; a replay's score replaces the stored one.
      saveScore: p(this.saveScoresSql(1)),
      saveScores: p(this.saveScoresSql(INSERT_ROWS)),
      maxSeq: p('SELECT COALESCE(MAX(seq), 0) AS s FROM points'),
      saveCheckpoint: p(
        `INSERT INTO checkpoints (stream_id, seq, model_version, state, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(stream_id) DO UPDATE SET seq = excluded.seq, model_version = excluded.model_version, state = excluded.state, created_at = excluded.created_at`,
      ),
      loadCheckpoints: p('SELECT stream_id, seq, model_version, state FROM checkpoints'),
      countPoints: p('SELECT COUNT(*) AS n, COUNT(s.seq) AS scored, MAX(p.t) AS lastT FROM points p LEFT JOIN scores s ON s.seq = p.seq WHERE p.stream_id = ?'),
      seriesKeys: p(
        'SELECT p.key AS key, COUNT(*) AS points, COALESCE(SUM(s.anomaly), 0) AS anomalies, MAX(p.t) AS lastT FROM points p LEFT JOIN scores s ON s.seq = p.seq WHERE p.stream_id = ? GROUP BY p.key ORDER BY p.key',
      ),
      countAnomalies: p('SELECT COUNT(*) AS n FROM scores WHERE stream_id = ? AND anomaly = 1 AND t >= ?'),
      lastThreshold: p('SELECT s.threshold AS threshold FROM points p JOIN scores s ON s.seq = p.seq WHERE p.stream_id = ? ORDER BY p.t DESC, p.seq DESC LIMIT 1'),
    };
  }

  /** A write transaction: the turn at writing first (write-lock.ts), then BEGIN IMMEDIATE. */
  private write<T>(fn: () => T): T {
    return this.lock.hold(() => this.db.transaction(fn).immediate());
  }

  private insertPointsSql(rows: number): string {
    return `INSERT INTO points (stream_id, key, t, value, vals) VALUES ${placeholders(rows, POINT_COLS)}`;
  }

  private saveScoresSql(rows: number): string {
    const values = placeholders(rows, SCORE_COLS);
    return `INSERT OR REPLACE INTO scores (seq, stream_id, t, score, anomaly, threshold, channels, model_version, error)
      SELECT v.column1, p.stream_id, p.t, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7 FROM (VALUES ${values}) AS v JOIN points p ON p.seq = v.column1`;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }

  async getSetting(name: string): Promise<string | null> {
    const r = this.st.getSetting!.get(name) as { value: string } | undefined;
    return r ? r.value : null;
  }
  async setSetting(name: string, value: string): Promise<void> {
    this.st.setSetting!.run(name, value);
  }

  async createTeam(t: Team): Promise<void> {
    this.st.createTeam!.run(t.id, t.name, t.createdAt);
  }
  async getTeam(id: string): Promise<Team | null> {
    const r = this.st.getTeam!.get(id) as Parameters<typeof toTeam>[0] | undefined;
    return r ? toTeam(r) : null;
  }
  async findTeamByName(name: string): Promise<Team | null> {
    const r = this.st.teamByName!.get(name) as Parameters<typeof toTeam>[0] | undefined;
    return r ? toTeam(r) : null;
  }
  async listTeams(): Promise<Team[]> {
    return (this.st.listTeams!.all() as Parameters<typeof toTeam>[0][]).map(toTeam);
  }

  async createKey(k: ApiKey): Promise<void> {
    this.st.createKey!.run(k.id, k.teamId, k.role, k.hash, k.createdAt);
  }
  async getKey(id: string): Promise<ApiKey | null> {
    let k = this.secondary ? undefined : this.keyCache.get(id);
    if (k === undefined) {
      const r = this.st.getKey!.get(id) as KeyRow | undefined;
      k = r ? toKey(r) : null;
      // Unknown ids are not cached, so guessed ids cannot fill the cache.
      if (k && !this.secondary) this.keyCache.set(id, k);
    }
    return k;
  }
  async listKeys(teamId?: string): Promise<ApiKey[]> {
    return ((teamId === undefined ? this.st.listKeys!.all() : this.st.listTeamKeys!.all(teamId)) as KeyRow[]).map(toKey);
  }
  async deleteKey(id: string): Promise<boolean> {
    this.keyCache.delete(id);
    return this.st.deleteKey!.run(id).changes > 0;
  }

  async createStream(s: StreamRecord): Promise<void> {
    this.st.createStream!.run(s.id, s.teamId, s.name, JSON.stringify(s.spec), s.modelVersion, s.specSeq, s.channels && JSON.stringify(s.channels), s.createdAt, s.updatedAt);
  }
  async getStream(id: string): Promise<StreamRecord | null> {
    let s = this.secondary ? undefined : this.streamCache.get(id);
    if (s === undefined) {
      const r = this.st.getStream!.get(id) as StreamRow | undefined;
      s = r ? toStream(r) : null;
      if (s && !this.secondary) this.streamCache.set(id, s);
    }
    // A copy, so a caller's change never reaches the cache.
    return s && { ...s, channels: this.channelsOf.get(id) ?? s.channels };
  }
  async listStreams(teamId?: string): Promise<StreamRecord[]> {
    const rows = (teamId === undefined ? this.st.listStreams!.all() : this.st.listTeamStreams!.all(teamId)) as StreamRow[];
    return rows.map(toStream);
  }
  async updateStream(id: string, change: { name?: string; spec?: Record<string, unknown> }): Promise<StreamRecord | null> {
    const now = Date.now();
    this.streamCache.delete(id);
    this.write(() => {
      if (change.name !== undefined) this.st.renameStream!.run(change.name, now, id);
      if (change.spec !== undefined) this.st.respecStream!.run(JSON.stringify(change.spec), now, id);
    });
    return this.getStream(id);
  }
  async deleteStream(id: string): Promise<boolean> {
    // Appends already queued for this stream would fail on the foreign key; let them commit first.
    await this.flushNow();
    this.streamCache.delete(id);
    const gone = this.st.deleteStream!.run(id).changes > 0;
    this.lastT.delete(id);
    this.unsavedLastT.delete(id);
    this.channelsOf.delete(id);
    return gone;
  }

  appendPoints(streamId: string, points: readonly NewPoint[]): Promise<void> {
    this.checkOpen();
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, points, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private async flushNow(): Promise<void> {
    if (this.pending.length) this.flush();
  }

  private streamChannels(streamId: string): string[] | null {
    if (!this.channelsOf.has(streamId)) {
      const r = this.st.getStream!.get(streamId) as StreamRow | undefined;
      this.channelsOf.set(streamId, r?.channels ? (JSON.parse(r.channels) as string[]) : null);
    }
    return this.channelsOf.get(streamId)!;
  }

  private keyLastT(streamId: string, key: string): number {
    if (!this.recentFolded) this.foldRecentLastT();
    let m = this.lastT.get(streamId);
    if (!m) this.lastT.set(streamId, (m = new Map()));
    let t = m.get(key);
    if (t === undefined) {
      const r = this.st.lastT!.get(streamId, key) as { t: number } | undefined;
      t = r?.t ?? -Infinity;
      m.set(key, t);
    }
    return t;
  }

  /** The newest time of each series among the points series_last does not cover yet (after a start, or a rollback). */
  private foldRecentLastT(): void {
    this.recentFolded = true;
    const saved = this.st.getSetting!.get(SERIES_LAST_SEQ) as { value: string } | undefined;
    const through = Number(saved?.value ?? 0);
    for (const r of this.st.recentLastT!.all(through) as { stream_id: string; key: string; t: number }[]) {
      let m = this.lastT.get(r.stream_id);
      if (!m) this.lastT.set(r.stream_id, (m = new Map()));
      m.set(r.key, r.t);
      this.markUnsaved(r.stream_id, r.key);
    }
  }

  private markUnsaved(streamId: string, key: string): void {
    let keys = this.unsavedLastT.get(streamId);
    if (!keys) this.unsavedLastT.set(streamId, (keys = new Set()));
    keys.add(key);
  }

  /** Inside a write transaction: series_last gets every unsaved series' newest time, complete through the newest seq. */
  private saveLastT(): void {
    for (const [streamId, keys] of this.unsavedLastT) {
      const m = this.lastT.get(streamId);
      for (const key of keys) {
        const t = m?.get(key);
        if (t !== undefined) this.st.setLastT!.run(streamId, key, t);
      }
    }
    this.st.setSetting!.run(SERIES_LAST_SEQ, String((this.st.maxSeq!.get() as { s: number }).s));
    this.unsavedLastT.clear();
    this.lastTSavedAt = Date.now();
  }

  /** Checks one call's points against the stored state plus the calls before it in this group; returns the updates it would make. */
  private check(job: AppendJob): { lastT: Map<string, number>; channels: string[] | null } {
    let channels = this.streamChannels(job.streamId);
    const newChannels = channels === null;
    const seen = new Map<string, number>();
    const lone = channels !== null && channels.length === 1 && channels[0] === 'value';
    job.points.forEach((p, i) => {
      // The common case, a stream of lone values, is told without a list of names per point.
      if (!(lone && loneValue(p.values) !== null)) this.checkChannels(i, p.values, (channels ??= Object.keys(p.values)));
      const before = seen.get(p.key) ?? this.keyLastT(job.streamId, p.key);
      if (p.t < before) throw new PointRejected(i, 't', `time ${p.t} goes back within key '${p.key}' (after ${before})`);
      seen.set(p.key, p.t);
    });
    return { lastT: seen, channels: newChannels ? channels : null };
  }

  private checkChannels(i: number, values: Record<string, number>, channels: readonly string[]): void {
    const names = Object.keys(values);
    if (names.length !== channels.length || !names.every((n) => channels.includes(n))) {
      throw new PointRejected(i, values['value'] !== undefined && names.length === 1 ? 'value' : 'values', `channels ${names.join(', ')} differ from the stream's (${channels.join(', ')})`);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const jobs = this.pending;
    this.pending = [];
    if (!jobs.length) return;
    const accepted: AppendJob[] = [];
    const runs: CommittedRun[] = [];
    try {
      this.write(() => {
        for (const job of jobs) {
          let u;
          try {
            u = this.check(job);
          } catch (e) {
            job.reject(e);
            continue;
          }
          // Later calls in this group check against this one's points.
          this.apply(job.streamId, u);
          if (u.channels) this.st.setChannels!.run(JSON.stringify(u.channels), job.streamId);
          const last = this.insert(job.streamId, job.points);
          runs.push({ streamId: job.streamId, firstSeq: last - job.points.length + 1, points: job.points });
          for (const key of u.lastT.keys()) this.markUnsaved(job.streamId, key);
          accepted.push(job);
        }
        if (this.unsavedLastT.size && Date.now() - this.lastTSavedAt >= this.seriesLastMs) this.saveLastT();
      });
    } catch (e) {
      // The transaction rolled back: forget the cached times and channels and fail every call in it.
      this.lastT.clear();
      this.unsavedLastT.clear();
      this.recentFolded = false;
      this.channelsOf.clear();
      for (const j of accepted) j.reject(e);
      return;
    }
    for (const j of accepted) j.resolve();
    if (this.committed && runs.length) this.committed(runs);
  }

  onCommitted(listener: ((runs: readonly CommittedRun[]) => void) | null): void {
    this.committed = listener;
  }

  /** The points as rows; returns the last one's seq. One writer inside one transaction: the seqs are consecutive. */
  private insert(streamId: string, points: readonly NewPoint[]): number {
    return this.insertRows(points, POINT_COLS, (args, at, p) => putPoint(args, at, streamId, p), this.st.insertPoints!, this.st.insertPoint!);
  }

  /**
   * Rows INSERT_ROWS to a statement (`many`), the rest one at a time (`one`): one call into SQLite
   * per row was a good part of the cost. The columns are written in place into reused arrays (an
   * object per row was garbage at 300,000 rows a second). Returns the last row's rowid.
   */
  private insertRows<T>(items: readonly T[], cols: number, put: (args: Args, at: number, item: T) => void, many: Statement, one: Statement): number {
    let i = 0;
    let last = 0;
    const args: Args = new Array(INSERT_ROWS * cols);
    for (; i + INSERT_ROWS <= items.length; i += INSERT_ROWS) {
      for (let j = 0; j < INSERT_ROWS; j++) put(args, j * cols, items[i + j]!);
      last = Number(many.run(args).lastInsertRowid);
    }
    const row: Args = new Array(cols);
    for (; i < items.length; i++) {
      put(row, 0, items[i]!);
      last = Number(one.run(row).lastInsertRowid);
    }
    return last;
  }

  private apply(streamId: string, u: { lastT: Map<string, number>; channels: string[] | null }): void {
    let m = this.lastT.get(streamId);
    if (!m) this.lastT.set(streamId, (m = new Map()));
    for (const [k, t] of u.lastT) m.set(k, t);
    if (u.channels) this.channelsOf.set(streamId, u.channels);
  }

  async pointsAfter(afterSeq: number, limit: number): Promise<StoredPoint[]> {
    // Raw rows (arrays): building a named object per row was a good part of the read.
    const rows = this.st.pointsAfter!.all(afterSeq, limit) as [number, string, string, number, number | null, string | null][];
    return rows.map((r) => ({ seq: r[0], streamId: r[1], key: r[2], t: r[3], values: decodeValues(r[4], r[5]) }));
  }

  async saveScores(scores: readonly PointScore[]): Promise<void> {
    this.write(() => this.insertRows(scores, SCORE_COLS, putScore, this.st.saveScores!, this.st.saveScore!));
  }

  async readPoints(q: PointQuery): Promise<ReadPoint[]> {
    const where = ['p.stream_id = ?'];
    const args: (string | number)[] = [q.streamId];
    if (q.key !== undefined) (where.push('p.key = ?'), args.push(q.key));
    if (q.from !== undefined) (where.push('p.t >= ?'), args.push(q.from));
    if (q.to !== undefined) (where.push('p.t <= ?'), args.push(q.to));
    const order = q.latest ? 'DESC' : 'ASC';
    const sql = `SELECT p.seq AS seq, p.key AS key, p.t AS t, p.value AS value, p.vals AS vals, s.score AS score, s.anomaly AS anomaly, s.threshold AS threshold,
      s.channels AS channels, s.model_version AS model_version, s.error AS error
      FROM points p LEFT JOIN scores s ON s.seq = p.seq WHERE ${where.join(' AND ')} ORDER BY p.t ${order}, p.seq ${order} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, q.limit) as PointRow[];
    if (q.latest) rows.reverse();
    return rows.map(toReadPoint);
  }

  async maxSeq(): Promise<number> {
    return (this.st.maxSeq!.get() as { s: number }).s;
  }

  async saveCheckpoints(cps: readonly Checkpoint[]): Promise<void> {
    const now = Date.now();
    this.write(() => {
      for (const c of cps) this.st.saveCheckpoint!.run(c.streamId, c.seq, c.modelVersion, JSON.stringify(c.state), now);
    });
  }

  async loadCheckpoints(): Promise<Checkpoint[]> {
    const rows = this.st.loadCheckpoints!.all() as { stream_id: string; seq: number; model_version: number; state: string }[];
    return rows.map((r) => ({ streamId: r.stream_id, seq: r.seq, modelVersion: r.model_version, state: JSON.parse(r.state) as unknown }));
  }

  async streamStats(streamIds: readonly string[], now: number): Promise<StreamStats[]> {
    return streamIds.map((id) => {
      const c = this.st.countPoints!.get(id) as { n: number; scored: number; lastT: number | null };
      const hour = (this.st.countAnomalies!.get(id, now - 3_600_000) as { n: number }).n;
      const day = (this.st.countAnomalies!.get(id, now - 86_400_000) as { n: number }).n;
      const th = this.st.lastThreshold!.get(id) as { threshold: number | null } | undefined;
      return { streamId: id, points: c.n, scored: c.scored, lastT: c.lastT, anomaliesHour: hour, anomaliesDay: day, lastThreshold: th?.threshold ?? null };
    });
  }

  async seriesKeys(streamId: string): Promise<SeriesKey[]> {
    return this.st.seriesKeys!.all(streamId) as SeriesKey[];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    // A clean stop leaves series_last complete, so the next start has nothing to fold in.
    if (this.unsavedLastT.size) this.write(() => this.saveLastT());
    if (this.checkpointer) {
      const w = this.checkpointer;
      const exited = new Promise((r) => w.once('exit', r));
      // Referenced again, so the wait for its exit keeps this process alive.
      w.ref();
      w.postMessage('stop');
      await exited;
    }
    if (!this.secondary) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
