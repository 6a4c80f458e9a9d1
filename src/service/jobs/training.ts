/** Training in the service: the job queue, model files, scheduled retraining and the retention sweep, started and stopped together. */
import type { ServiceContext } from '../context.js';
import type { EventBus } from '../events/bus.js';
import type { Storage } from '../storage/storage.js';
import type { JobsHandle } from './handle.js';
import { ModelLibrary } from './model-library.js';
import { onRetrained } from './retrain.js';
import { RetrainScheduler } from './retrain-scheduler.js';
import { RetentionSweep } from './retention.js';
import { JobRunner } from './runner.js';

export interface TrainingOptions {
  /** Training jobs running at once (default 1). */
  jobConcurrency?: number;
  /** Largest dataset upload in bytes (default 256 MiB). */
  datasetLimit?: number;
  /** How often streams' retrain policies are checked (default 60 s). */
  retrainCheckMs?: number;
  /** How often old points are swept (default 10 minutes). */
  retentionSweepMs?: number;
  /** After a cancel, how long before a training thread that has not stopped is ended (default 5 s). */
  cancelGraceMs?: number;
}

export interface Training {
  handle: JobsHandle;
  /** Marks jobs a crash left running as failed, queues the queued ones, starts the background loops. */
  start(ctx: ServiceContext): Promise<void>;
  stop(): Promise<void>;
}

export function createTraining(storage: Storage, bus: EventBus, dataDir: string, o: TrainingOptions, log: (msg: string) => void): Training {
  const models = new ModelLibrary(dataDir);
  const runner = new JobRunner(storage, bus, models, { concurrency: o.jobConcurrency, cancelGraceMs: o.cancelGraceMs, log });
  let scheduler: RetrainScheduler | null = null;
  let retention: RetentionSweep | null = null;
  return {
    handle: { dataDir, models, runner, datasetLimit: o.datasetLimit ?? 256 * 1024 * 1024 },
    async start(ctx) {
      runner.onSucceeded = (job, model) => onRetrained(ctx, job, model);
      runner.onFinished = (job) => {
        // A job cancelled before it started never ran: no duration.
        if (job.startedAt !== null && job.finishedAt !== null) ctx.metrics.jobFinished(job.teamId, String(job.spec['detector']), job.state, (job.finishedAt - job.startedAt) / 1000);
      };
      await runner.start();
      scheduler = new RetrainScheduler(ctx, o.retrainCheckMs ?? 60_000);
      retention = new RetentionSweep(ctx, o.retentionSweepMs ?? 600_000);
      scheduler.start();
      retention.start();
    },
    async stop() {
      await scheduler?.stop();
      await retention?.stop();
      await runner.stop();
    },
  };
}
