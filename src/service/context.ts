/** What every plugin and service function works with: storage, the scorer's handle, the event bus, metrics. */
import type { EventBus } from './events/bus.js';
import type { JobsHandle } from './jobs/handle.js';
import type { ServiceMetrics } from './metrics/metrics.js';
import type { Storage } from './storage/storage.js';

/** The part of the scorer the API uses: a nudge after a commit, and news of changed or deleted streams. */
export interface ScorerHandle {
  wake(): void;
  invalidate(streamId: string): void;
  forget(streamId: string): void;
  readonly scoredThrough: number;
}

/** What the alerting routes need beyond storage: the sink address policy and the outbox sender's nudge. */
export interface AlertingHandle {
  allowPrivateSinks: boolean;
  deliveryTimeoutMs: number;
  wakeDelivery(): void;
}

export interface ServiceContext {
  storage: Storage;
  adminHash: string;
  bus: EventBus;
  metrics: ServiceMetrics;
  scorer: ScorerHandle;
  alerting: AlertingHandle;
  jobs: JobsHandle;
  log: (msg: string) => void;
}
