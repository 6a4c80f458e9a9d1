/**
 * The service's alerting, put together: the outbox sender. The alert processor (scoring-time
 * alerting and the quiet timer, taking turns) runs beside the scorer: in its thread, or in this
 * one with an in-process scorer (server.ts).
 */
import { parseRetryPolicy, type RetryPolicyInput } from '../../alerting/index.js';
import type { AlertingHandle } from '../context.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { Storage } from '../storage/storage.js';
import { DeliveryLoop } from './delivery-loop.js';
import { AlertMetrics } from './metrics.js';
import type { SharedClock } from './shared-clock.js';

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
  /** The clock alerting reads (default the wall clock); tests give their own, which reaches the scorer's thread too. */
  clock?: SharedClock;
}

export interface Alerting {
  delivery: DeliveryLoop;
  handle: AlertingHandle;
}

export function createAlerting(storage: Storage, metrics: ServiceMetrics, o: AlertingOptions, log: (msg: string) => void): Alerting {
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
  return { delivery, handle: { allowPrivateSinks: allowPrivate, deliveryTimeoutMs: timeoutMs, wakeDelivery: () => delivery.wake() } };
}
