/**
 * The HTTP thread's side of the scorer's thread (scorer-thread.ts): the ScorerHandle the routes
 * nudge, the events it sends put on the bus, its counts into the metrics. A thread that dies
 * (an uncaught error, or killed) is started again after a short pause; the new one restores the
 * checkpoints and replays the points after them, so the scores are those of a run without it.
 */
import { Worker } from 'node:worker_threads';
import type { ScorerHandle } from '../context.js';
import type { EventBus } from '../events/bus.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { CommittedRun } from '../storage/storage.js';
import { WriteLock } from '../storage/sqlite/write-lock.js';
import { packRuns } from './point-feed.js';
import type { FromScorer, ScorerThreadData, ToScorer } from './thread-protocol.js';

export interface ThreadHostOptions {
  bus: EventBus;
  metrics: Pick<ServiceMetrics, 'scored' | 'alerted' | 'incidentOpened'>;
  /** New outbox rows were committed. */
  onDelivery: () => void;
  log: (msg: string) => void;
  /** The pause before the first restart (ms, default 200); it doubles while starts fail, up to 10 s. */
  restartMs?: number;
}

export class ScorerThread implements ScorerHandle {
  private worker: Worker | null = null;
  private through = 0;
  private stopping = false;
  private wakePosted = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private pause: number;
  /** Threads that died and were started again (for the fault tests and the log). */
  restarts = 0;

  constructor(
    private readonly data: ScorerThreadData,
    private readonly o: ThreadHostOptions,
  ) {
    this.pause = o.restartMs ?? 200;
  }

  /** Whether a thread is up (false once stopped, or between a crash and its restart). */
  get alive(): boolean {
    return this.worker !== null;
  }

  get scoredThrough(): number {
    return this.through;
  }

  async start(): Promise<void> {
    await this.spawn();
    this.o.bus.onTopics = (topics) => this.send({ type: 'topics', topics });
  }

  wake(): void {
    // Once a turn, however many requests committed in it.
    if (this.wakePosted) return;
    this.wakePosted = true;
    setImmediate(() => {
      this.wakePosted = false;
      this.send({ type: 'wake' });
    });
  }

  /** Points just committed (the storage's onCommitted): the thread takes them from here rather than from the database. */
  feed(runs: readonly CommittedRun[]): void {
    if (!this.worker) return;
    const { runs: packed, transfer } = packRuns(runs);
    this.worker.postMessage({ type: 'points', runs: packed } satisfies ToScorer, transfer);
  }

  invalidate(streamId: string): void {
    this.send({ type: 'invalidate', streamId });
  }

  forget(streamId: string): void {
    this.send({ type: 'forget', streamId });
  }

  /** Ends the thread abruptly, as a crash would (for the fault tests); it is started again. */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Lets the thread score what is committed, checkpoint and close its connection; resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.o.bus.onTopics = null;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const w = this.worker;
    if (!w) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.postMessage({ type: 'stop' } satisfies ToScorer);
    await exited;
  }

  private send(m: ToScorer): void {
    this.worker?.postMessage(m);
  }

  private spawn(): Promise<void> {
    const w = new Worker(new URL('./scorer-thread.js', import.meta.url), { workerData: this.data });
    this.worker = w;
    return new Promise((resolve, reject) => {
      let ready = false;
      let failure: Error | null = null;
      w.on('message', (m: FromScorer) => {
        if (m.type === 'log') return this.o.log(m.msg);
        this.through = m.scoredThrough;
        if (m.type === 'ready') {
          ready = true;
          this.pause = this.o.restartMs ?? 200;
          w.postMessage({ type: 'topics', topics: this.o.bus.topics() } satisfies ToScorer);
          return resolve();
        }
        for (const e of m.events) this.o.bus.publish(e);
        for (const [team, stream, points, anomalies] of m.scored) this.o.metrics.scored(team, stream, points, anomalies);
        for (const [team, stream, type] of m.alerted) this.o.metrics.alerted(team, stream, type);
        for (const [team, stream] of m.opened) this.o.metrics.incidentOpened(team, stream);
        if (m.delivery) this.o.onDelivery();
      });
      w.on('error', (e) => {
        failure = e;
        this.o.log(`scorer thread: ${e.stack ?? e}`);
      });
      const id = w.threadId;
      w.on('exit', (code) => {
        // A thread ended mid-write leaves the turn taken; SQLite rolled its transaction back.
        new WriteLock(this.data.writeLock).releaseIfHeldBy(id);
        if (this.worker === w) this.worker = null;
        if (!ready) {
          reject(failure ?? new Error(`the scorer thread exited (${code}) before it started`));
          if (this.restarts === 0 || this.stopping) return;
        }
        if (this.stopping) return;
        this.restarts++;
        this.o.log(`scorer thread exited (${code}); starting it again in ${this.pause} ms`);
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (!this.stopping) this.spawn().catch(() => {});
        }, this.pause);
        this.pause = Math.min(this.pause * 2, 10_000);
      });
    });
  }
}
