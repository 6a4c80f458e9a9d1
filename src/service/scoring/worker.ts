/**
 * The scorer: reads committed points in commit order, scores each through its stream's scorer,
 * stores the verdicts, and checkpoints every scorer's state now and then. It talks to the rest
 * of the service only through Storage and the event bus, so it can move to a process of its own.
 *
 * Crash recovery: a checkpoint holds a stream's scorer state after every point up to its seq. On
 * start each stream's scorer is restored from its checkpoint and the points stored after it are
 * scored again (their stored scores overwritten with the same values), so scores after a crash
 * equal those of a run without one.
 */
import { DataError } from '../../core/errors.js';
import { CoalescedLoop } from '../coalesced-loop.js';
import type { EventBus } from '../events/bus.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { Checkpoint, PointScore, Storage, StoredPoint, StreamRecord } from '../storage/storage.js';
import { carries, createScorer, rescorer, restoreScorer, type ModelResolver, type ScoredPoint, type ScorerPoint, type ServiceScorer } from './scorer-adapter.js';

export interface WorkerOptions {
  /** Points read and scored per step before yielding to the event loop. */
  batch?: number;
  /** Checkpoint at least this often while points arrive (ms). */
  checkpointMs?: number;
  /** ... and after at most this many points scored. */
  checkpointPoints?: number;
  /** Look for points stored by another process this often (ms). */
  pollMs?: number;
  /** After each step's scores are saved (alerting): the step's rows and their scores. */
  onScored?: (rows: readonly StoredPoint[], scores: readonly PointScore[]) => Promise<void>;
  /** Where a stream spec's `model` (a model version id) is loaded from. */
  models?: ModelResolver;
  log?: (msg: string) => void;
}

interface Lane {
  stream: StreamRecord;
  scorer: ServiceScorer;
  modelVersion: number;
  /** Points up to this seq are already in the scorer's state. */
  fromSeq: number;
  dirty: boolean;
  /** A newer spec, read but not yet in force: it scores the stream's points after its specSeq. */
  next?: StreamRecord;
  /** `scorer` is the previous spec's: rebuild it for this spec before this lane's first point (after the previous lane scored its own). */
  rebuild?: boolean;
}

export class ScoringWorker {
  private cursor = 0;
  private readonly lanes = new Map<string, Lane>();
  /** Streams known to be gone (their points are skipped until the delete removes them). */
  private readonly gone = new Set<string>();
  private readonly loop = new CoalescedLoop(
    () => this.pass(),
    (e) => this.opts.log?.(`scorer: ${(e as Error).stack ?? e}; trying again at the next poll`),
  );
  private sinceCheckpoint = 0;
  private lastCheckpoint = Date.now();
  private readonly batch: number;
  private readonly checkpointMs: number;
  private readonly checkpointPoints: number;

  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    private readonly metrics: Pick<ServiceMetrics, 'scored'>,
    private readonly opts: WorkerOptions = {},
  ) {
    // A step costs a write transaction, a look at each stream's spec and alerter, and a message out, whatever
    // its size: at 1,000 points a step that overhead kept the scorer behind a 300,000 points/s ingest. Steps
    // are only this large when the scorer is behind; caught up, a step is what the last commits stored.
    this.batch = opts.batch ?? 10_000;
    this.checkpointMs = opts.checkpointMs ?? 5000;
    // A checkpoint of 1,000 series takes tens of milliseconds: at full ingest speed 50,000 points came several times a second.
    this.checkpointPoints = opts.checkpointPoints ?? 500_000;
  }

  /** Highest seq scored so far. */
  get scoredThrough(): number {
    return this.cursor;
  }

  async start(): Promise<void> {
    const [streams, cps] = await Promise.all([this.storage.listStreams(), this.storage.loadCheckpoints()]);
    const byStream = new Map(cps.map((c) => [c.streamId, c]));
    let from = Number.POSITIVE_INFINITY;
    for (const s of streams) {
      const lane = this.laneFrom(s, byStream.get(s.id));
      this.lanes.set(s.id, lane);
      from = Math.min(from, lane.fromSeq);
    }
    this.cursor = Number.isFinite(from) ? from : await this.storage.maxSeq();
    this.loop.poll(this.opts.pollMs ?? 500);
  }

  private laneFrom(s: StreamRecord, cp: Checkpoint | undefined): Lane {
    if (cp && cp.modelVersion === s.modelVersion) {
      try {
        return { stream: s, scorer: restoreScorer(cp.state, s.spec, this.opts.models), modelVersion: s.modelVersion, fromSeq: cp.seq, dirty: false };
      } catch (e) {
        this.opts.log?.(`stream ${s.id}: checkpoint unreadable (${(e as Error).message}); scoring its points again from the start`);
      }
    }
    // The last change was only a new fixed threshold: the old scorer replays up to it and goes on under it, as it did before the restart.
    if (cp && cp.modelVersion === s.modelVersion - 1 && cp.seq >= 0 && carries(cp.state, s.spec)) {
      try {
        return { stream: { ...s, modelVersion: -1 }, next: s, scorer: restoreScorer(cp.state, s.spec, this.opts.models), modelVersion: cp.modelVersion, fromSeq: cp.seq, dirty: false };
      } catch (e) {
        this.opts.log?.(`stream ${s.id}: checkpoint unreadable (${(e as Error).message}); scoring its points again from the start`);
      }
    }
    return { stream: s, scorer: createScorer(s.spec, this.opts.models), modelVersion: s.modelVersion, fromSeq: s.specSeq, dirty: true };
  }

  /** A stream's spec changed: read it again before its next point. */
  invalidate(streamId: string): void {
    const lane = this.lanes.get(streamId);
    if (lane) {
      lane.stream = { ...lane.stream, modelVersion: -1 };
      lane.next = undefined;
    }
  }

  /** A stream was deleted: drop its scorer (nothing of it is checkpointed again). */
  forget(streamId: string): void {
    this.lanes.delete(streamId);
    this.gone.add(streamId);
  }

  /** New points were committed: score them soon. */
  wake(): void {
    this.loop.wake();
  }

  /** Resolves once every point committed so far is scored. */
  async drain(): Promise<void> {
    while (this.loop.current || (await this.storage.maxSeq()) > this.cursor) {
      if (!this.loop.current) this.wake();
      await this.loop.current;
    }
  }

  private async pass(): Promise<void> {
    for (;;) {
      const rows = await this.storage.pointsAfter(this.cursor, this.batch);
      if (!rows.length) break;
      await this.scoreRows(rows);
      if (Date.now() - this.lastCheckpoint >= this.checkpointMs || this.sinceCheckpoint >= this.checkpointPoints) await this.checkpoint();
      // Let requests in between steps.
      await new Promise((r) => setImmediate(r));
      if (this.loop.stopped) return;
    }
  }

  private async laneFor(streamId: string, seq: number): Promise<Lane | null> {
    if (this.gone.has(streamId)) return null;
    let lane = this.lanes.get(streamId);
    if (lane && lane.stream.modelVersion === lane.modelVersion) return lane;
    const s = lane?.next ?? (await this.storage.getStream(streamId));
    if (!s) {
      this.lanes.delete(streamId);
      this.gone.add(streamId);
      return null;
    }
    if (!lane) {
      lane = this.laneFrom(s, undefined);
      this.lanes.set(streamId, lane);
    } else if (s.modelVersion !== lane.modelVersion && seq > s.specSeq) {
      lane = { stream: s, scorer: lane.scorer, modelVersion: s.modelVersion, fromSeq: s.specSeq, dirty: true, rebuild: true };
      this.lanes.set(streamId, lane);
    } else if (s.modelVersion !== lane.modelVersion) {
      // Points committed before the change are still the old spec's to score.
      lane.next = s;
    } else {
      lane.stream = s;
    }
    return lane;
  }

  private async scoreRows(rows: StoredPoint[]): Promise<void> {
    // Streams are independent: each stream's points of this step go to its scorer in one call, in order.
    const byLane = new Map<Lane, StoredPoint[]>();
    for (const row of rows) {
      // A lane in force needs no lookup (an await per point was a good part of a step's cost).
      const known = this.lanes.get(row.streamId);
      const lane = known && known.stream.modelVersion === known.modelVersion ? known : await this.laneFor(row.streamId, row.seq);
      if (lane && row.seq > lane.fromSeq) {
        let list = byLane.get(lane);
        if (!list) byLane.set(lane, (list = []));
        list.push(row);
      }
    }
    this.cursor = rows[rows.length - 1]!.seq;
    const scores: PointScore[] = [];
    for (const [lane, list] of byLane) {
      const scored = await this.scoreLane(lane, list);
      let anomalies = 0;
      const events = this.bus.wants(lane.stream.teamId, lane.stream.id);
      scored.forEach((s, i) => {
        if (s.anomaly) anomalies++;
        if (events) {
          const row = list[i]!;
          this.bus.publish({ type: 'point', teamId: lane.stream.teamId, streamId: row.streamId, t: row.t, key: row.key, values: row.values, score: s.score, anomaly: s.anomaly, threshold: s.threshold, channels: s.channels, modelVersion: s.modelVersion });
        }
      });
      scores.push(...scored);
      lane.dirty = true;
      this.metrics.scored(lane.stream.teamId, lane.stream.id, scored.length, anomalies);
    }
    await this.storage.saveScores(scores);
    await this.opts.onScored?.(rows, scores);
    this.sinceCheckpoint += scores.length;
  }

  /** Scores a stream's points in order; a point the scorer refuses is stored with its error and skipped. */
  private async scoreLane(lane: Lane, rows: StoredPoint[]): Promise<PointScore[]> {
    if (lane.rebuild) {
      const { scorer, carried } = await rescorer(lane.scorer, lane.stream.spec, this.opts.models);
      lane.scorer = scorer;
      lane.rebuild = false;
      this.bus.publish({ type: 'model', teamId: lane.stream.teamId, streamId: lane.stream.id, modelVersion: lane.modelVersion, reason: carried ? 'threshold changed' : 'spec changed' });
    }
    // A stored point is a scorer point as it is (the scorer reads t, key and values only).
    const points: readonly ScorerPoint[] = rows;
    try {
      return (await lane.scorer.pushMany(points)).map((r, i) => this.verdict(lane, rows[i]!.seq, r));
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
    // One of them is bad (nothing was scored): one at a time, so the others are scored.
    const out: PointScore[] = [];
    for (let i = 0; i < rows.length; i++) {
      try {
        out.push(this.verdict(lane, rows[i]!.seq, await lane.scorer.push(points[i]!)));
      } catch (e) {
        if (!(e instanceof DataError)) this.opts.log?.(`stream ${lane.stream.id}: scoring point ${rows[i]!.seq} failed: ${(e as Error).stack ?? e}`);
        out.push({ seq: rows[i]!.seq, score: null, anomaly: false, threshold: null, channels: null, modelVersion: lane.modelVersion, error: (e as Error).message });
      }
    }
    return out;
  }

  private verdict(lane: Lane, seq: number, r: ScoredPoint): PointScore {
    return { seq, score: r.score, anomaly: r.anomaly, threshold: r.threshold, channels: r.channels ?? null, modelVersion: lane.modelVersion, error: null };
  }

  /** Stores the state of every scorer that learned since its last checkpoint. */
  async checkpoint(): Promise<void> {
    const cps: Checkpoint[] = [];
    for (const [streamId, lane] of this.lanes) {
      if (!lane.dirty || lane.rebuild) continue;
      await lane.scorer.settle();
      cps.push({ streamId, seq: this.cursor, modelVersion: lane.modelVersion, state: lane.scorer.toJSON() });
      lane.dirty = false;
    }
    if (cps.length) await this.storage.saveCheckpoints(cps);
    this.sinceCheckpoint = 0;
    this.lastCheckpoint = Date.now();
  }

  /** Scores what is committed, checkpoints, and stops. */
  async stop(): Promise<void> {
    await this.drain();
    await this.loop.stop();
    await this.checkpoint();
  }
}
