/**
 * Training jobs off the request path: a queue (one job at a time per process by default), each
 * job in a worker thread of its own, its state, epoch, loss and percent in storage and on the
 * event bus, cancellation, and recovery at start-up: a job a crash left `running` is marked
 * failed ("interrupted by a restart"); queued jobs stay queued and run.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventBus } from '../events/bus.js';
import { newId } from '../ids.js';
import type { JobChange, JobRecord, ModelRecord } from '../storage/jobs.js';
import type { Storage } from '../storage/storage.js';
import { ModelLibrary } from './model-library.js';
import type { TrainInput } from './train.js';
import type { WorkerMessage } from './train-worker.js';

/** What a job trains on and how, as stored with it (the data file is relative to the data dir). */
export interface JobSpec {
  source: Record<string, unknown>;
  detector: string;
  options: Record<string, unknown>;
  threshold?: Record<string, unknown>;
  label?: string;
  timestamp?: string;
  seriesId?: string;
  entity?: TrainInput['entity'];
  dataFile: string;
  format: 'csv' | 'ndjson';
  /** Retrain jobs: the stream. */
  streamId?: string;
  /** Retrain jobs: the recent points held out of training, scored in shadow by the candidate beside the served model. */
  shadow?: { afterSeq: number; throughSeq: number; from: number; to: number };
}

export interface RunnerOptions {
  /** Jobs running at once (default 1). */
  concurrency?: number;
  /** After a cancel, how long a job that does not stop by itself may run before its thread is ended (default 5 s). */
  cancelGraceMs?: number;
  log?: (msg: string) => void;
}

interface Running {
  worker: Worker;
  cancelled: boolean;
  lastWrite: number;
}

export const INTERRUPTED = 'interrupted by a restart';

export class JobRunner {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, Running>();
  /** Jobs taken off the queue and not yet finished: counted at once, before run() first awaits, so one pump never starts more than the concurrency allows. */
  private active = 0;
  private stopped = false;
  /** Called after a job's model version is stored (retraining's shadow comparison). */
  onSucceeded: ((job: JobRecord, model: ModelRecord) => Promise<void>) | null = null;
  /** Called when a job ends, whatever the outcome (the job durations metric). */
  onFinished: ((job: JobRecord) => void) | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    readonly models: ModelLibrary,
    private readonly opts: RunnerOptions = {},
  ) {}

  async start(): Promise<void> {
    const ids = await this.storage.jobs.failRunning(INTERRUPTED, Date.now());
    for (const id of ids) await this.log(id, `failed: ${INTERRUPTED}`);
    if (ids.length) this.opts.log?.(`${ids.length} training job(s) left running by a crash marked failed`);
    for (const j of await this.storage.jobs.jobsIn(['queued'])) this.queue.push(j.id);
    this.pump();
  }

  /** Ends running jobs (marked failed: the shutdown interrupted them); queued ones run at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    const ids = [...this.running.keys()];
    await Promise.all([...this.running.values()].map((r) => r.worker.terminate()));
    for (const id of ids) await this.finish(id, { state: 'failed', error: 'interrupted by a shutdown' });
  }

  /** The stream's retrain queued or running, if any. */
  busyFor(streamId: string, jobs: readonly JobRecord[]): boolean {
    return jobs.some((j) => (j.state === 'queued' || j.state === 'running') && (j.spec as unknown as JobSpec).streamId === streamId);
  }

  async submit(teamId: string, kind: JobRecord['kind'], spec: JobSpec, id = newId('job')): Promise<JobRecord> {
    const job: JobRecord = { id, teamId, kind, spec: spec as unknown as Record<string, unknown>, state: 'queued', epoch: null, epochs: null, loss: null, percent: 0, error: null, modelId: null, createdAt: Date.now(), startedAt: null, finishedAt: null };
    await this.storage.jobs.createJob(job);
    await this.log(id, `queued: ${spec.detector} on ${JSON.stringify(spec.source)}`);
    this.queue.push(id);
    this.publish(job);
    this.pump();
    return job;
  }

  /** A queued job is cancelled at once; a running one is asked to stop, and its thread ended after the grace period. */
  async cancel(job: JobRecord): Promise<JobRecord> {
    const q = this.queue.indexOf(job.id);
    if (q >= 0) {
      this.queue.splice(q, 1);
      return this.finish(job.id, { state: 'cancelled', error: 'cancelled before it started' });
    }
    const r = this.running.get(job.id);
    if (r && !r.cancelled) {
      r.cancelled = true;
      await this.log(job.id, 'cancel requested');
      r.worker.postMessage({ type: 'cancel' });
      const t = setTimeout(() => void r.worker.terminate(), this.opts.cancelGraceMs ?? 5000);
      t.unref();
      r.worker.once('exit', () => clearTimeout(t));
    }
    return (await this.storage.jobs.getJob(job.id))!;
  }

  private pump(): void {
    while (!this.stopped && this.queue.length && this.active < (this.opts.concurrency ?? 1)) {
      const id = this.queue.shift()!;
      this.active++;
      void this.run(id)
        .catch((e: unknown) => this.opts.log?.(`job ${id}: ${(e as Error).stack ?? e}`))
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }

  private async run(id: string): Promise<void> {
    const job = await this.storage.jobs.getJob(id);
    if (!job || job.state !== 'queued') return;
    const spec = job.spec as unknown as JobSpec;
    const modelId = newId('mv');
    const input: TrainInput = {
      dataPath: join(this.models.dataDir, spec.dataFile),
      format: spec.format,
      detector: spec.detector,
      options: spec.options,
      threshold: spec.threshold as TrainInput['threshold'],
      label: spec.label,
      timestamp: spec.timestamp,
      seriesId: spec.seriesId,
      ...(spec.entity ? { entity: spec.entity } : {}),
      outPath: this.models.path(modelId),
    };
    await mkdir(dirname(input.outPath), { recursive: true });
    const worker = new Worker(new URL('./train-worker.js', import.meta.url), { workerData: input });
    const r: Running = { worker, cancelled: false, lastWrite: 0 };
    this.running.set(id, r);
    await this.update(id, { state: 'running', startedAt: Date.now() });
    await this.log(id, 'started');
    let settled = false;
    const done = new Promise<void>((resolve) => {
      // Messages are handled one at a time, in order, so the last progress never lands after the end.
      let chain = Promise.resolve();
      const handle = async (m: WorkerMessage): Promise<void> => {
        if (settled) return;
        if (m.type === 'progress') return this.progress(id, r, m);
        settled = true;
        if (m.type === 'done') await this.succeed(job, spec, modelId, m.result);
        else if (m.cancelled || r.cancelled) await this.finish(id, { state: 'cancelled', error: m.message });
        else await this.finish(id, { state: 'failed', error: m.message });
      };
      worker.on('message', (m: WorkerMessage) => (chain = chain.then(() => handle(m)).catch((e: unknown) => this.opts.log?.(`job ${id}: ${(e as Error).stack ?? e}`))));
      worker.on('error', (e) => (chain = chain.then(async () => {
        if (settled) return;
        settled = true;
        await this.finish(id, { state: 'failed', error: `the training thread failed: ${e.message.split('\n')[0]}` });
      })));
      worker.on('exit', () => {
        chain = chain.then(async () => {
          if (!settled && !this.stopped) {
            settled = true;
            await this.finish(id, r.cancelled ? { state: 'cancelled', error: 'cancelled (the training thread was ended)' } : { state: 'failed', error: 'the training thread ended without a result' });
          }
          resolve();
        });
      });
    });
    await done;
    this.running.delete(id);
  }

  private async progress(id: string, r: Running, m: Extract<WorkerMessage, { type: 'progress' }>): Promise<void> {
    const epochEnd = m.epoch !== undefined;
    const now = Date.now();
    // Epochs are few and each is written; other progress (trees, steps) at most 4 times a second.
    if (!epochEnd && now - r.lastWrite < 250) return;
    r.lastWrite = now;
    await this.update(id, { percent: Math.round(m.fraction * 1000) / 10, epoch: m.epoch, epochs: m.epochs, loss: m.loss });
    if (epochEnd && m.message) await this.log(id, m.message);
  }

  private async succeed(job: JobRecord, spec: JobSpec, modelId: string, res: Extract<WorkerMessage, { type: 'done' }>['result']): Promise<void> {
    const model: ModelRecord = {
      id: modelId,
      teamId: job.teamId,
      jobId: job.id,
      kind: res.kind,
      detector: spec.detector,
      options: res.options,
      threshold: res.threshold as Record<string, unknown> | null,
      cutoff: res.cutoff,
      columns: res.columns,
      metrics: res.metrics,
      source: spec.source,
      file: ModelLibrary.fileOf(modelId),
      bytes: res.bytes,
      label: spec.label ?? null,
      createdAt: Date.now(),
    };
    await this.storage.jobs.createModel(model);
    const done = await this.finish(job.id, { state: 'succeeded', percent: 100, modelId });
    await this.log(job.id, `model ${modelId}: ${JSON.stringify(res.metrics)}`);
    if (this.onSucceeded) {
      await this.onSucceeded(done, model).catch(async (e: unknown) => {
        await this.log(job.id, `after training: ${(e as Error).message}`);
      });
    }
  }

  private async finish(id: string, change: JobChange): Promise<JobRecord> {
    const j = await this.update(id, { ...change, finishedAt: Date.now() });
    this.onFinished?.(j);
    await this.log(id, change.state === 'succeeded' ? 'succeeded' : `${change.state}: ${change.error ?? ''}`);
    return j;
  }

  private async update(id: string, change: JobChange): Promise<JobRecord> {
    const j = (await this.storage.jobs.updateJob(id, change))!;
    this.publish(j);
    return j;
  }

  private log(id: string, message: string): Promise<void> {
    return this.storage.jobs.addJobLog(id, { t: Date.now(), message });
  }

  private publish(j: JobRecord): void {
    const streamId = (j.spec as unknown as JobSpec).streamId ?? '';
    this.bus.publish({
      type: 'job',
      teamId: j.teamId,
      streamId,
      job: { id: j.id, state: j.state, epoch: j.epoch, epochs: j.epochs, loss: j.loss, percent: j.percent, modelId: j.modelId, error: j.error },
    });
  }
}
