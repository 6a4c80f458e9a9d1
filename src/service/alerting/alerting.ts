/** The service's alerting, put together: the scorer's hook and the outbox sender. */
import { parseRetryPolicy, type RetryPolicyInput } from '../../alerting/index.js';
import type { AlertingHandle } from '../context.js';
import type { EventBus } from '../events/bus.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { Storage } from '../storage/storage.js';
import { DeliveryLoop } from './delivery-loop.js';
import { AlertMetrics } from './metrics.js';
import { AlertProcessor } from './processor.js';

export interface AlertingOptions {
  /** Let sinks reach loopback and private addresses (`--allow-private-sinks`). */
  allowPrivateSinks?: boolean;
  /** The delivery retry schedule (the core's defaults: 16 attempts from 2 s, doubling, up to an hour apart). */
  retry?: RetryPolicyInput;
  /** How often the outbox is looked at for due retries (ms, default 1000). */
  deliveryPollMs?: number;
  /** One delivery request's time limit (ms, default 10000). */
  deliveryTimeoutMs?: number;
  /** How often silent streams' open incidents are checked for the end of their quiet period (ms, default 1000). */
  quietCheckMs?: number;
  /** The wall clock the quiet check reads (ms); tests give their own. */
  clock?: () => number;
}

export interface Alerting {
  processor: AlertProcessor;
  delivery: DeliveryLoop;
  handle: AlertingHandle;
}

export function createAlerting(storage: Storage, bus: EventBus, metrics: ServiceMetrics, o: AlertingOptions, log: (msg: string) => void): Alerting {
  const allowPrivate = o.allowPrivateSinks ?? false;
  const timeoutMs = o.deliveryTimeoutMs ?? 10_000;
  const delivery = new DeliveryLoop(storage, new AlertMetrics(metrics.registry), {
    policy: parseRetryPolicy(o.retry ?? {}),
    allowPrivate,
    pollMs: o.deliveryPollMs ?? 1000,
    timeoutMs,
    concurrency: 16,
    log,
  });
  const processor = new AlertProcessor(storage, bus, () => delivery.wake(), log, { clock: o.clock, quietCheckMs: o.quietCheckMs, metrics });
  return { processor, delivery, handle: { allowPrivateSinks: allowPrivate, deliveryTimeoutMs: timeoutMs, wakeDelivery: () => delivery.wake() } };
}
