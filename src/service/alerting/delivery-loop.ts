/**
 * The outbox's sender, off the request path: it takes the pending deliveries that are due, sends
 * each to its sink with the signature and idempotency key headers, and records the outcome by
 * the core's retry schedule (afterAttempt: exponential backoff with jitter, then a dead letter).
 * Everything it knows is in the outbox table, so after a restart the pending rows simply resume;
 * a request cut off by a crash is sent again under the same idempotency key.
 */
import { afterAttempt, deliveryHeaders, type AttemptResult, type RetryPolicy } from '../../alerting/index.js';
import type { OutboxRow } from '../storage/alerting.js';
import { CoalescedLoop } from '../coalesced-loop.js';
import type { Storage } from '../storage/storage.js';
import type { AlertMetrics } from './metrics.js';
import { postWebhook } from './webhook.js';

export interface DeliveryOptions {
  policy: RetryPolicy;
  allowPrivate: boolean;
  /** Look for due deliveries this often (ms). */
  pollMs: number;
  /** One request's time limit (ms). */
  timeoutMs: number;
  /** Deliveries sent at once. */
  concurrency: number;
  log: (msg: string) => void;
}

export class DeliveryLoop {
  private readonly loop = new CoalescedLoop(
    () => this.pass(),
    (e) => this.o.log(`delivery loop: ${(e as Error).stack ?? e}`),
  );

  constructor(
    private readonly storage: Storage,
    private readonly metrics: AlertMetrics,
    private readonly o: DeliveryOptions,
  ) {}

  start(): void {
    this.loop.poll(this.o.pollMs);
  }

  /** New outbox rows were committed: send them soon. */
  wake(): void {
    this.loop.wake();
  }

  /** Stops taking deliveries and waits for those in flight (each bounded by the request timeout). */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async pass(): Promise<void> {
    for (;;) {
      const due = await this.storage.alerting.dueDeliveries(Date.now(), this.o.concurrency);
      if (!due.length || this.loop.stopped) break;
      // Sinks in parallel; each sink's rows in order, so a receiver hears of an incident before its resolution.
      const bySink = new Map<string, OutboxRow[]>();
      for (const row of due) bySink.set(row.sinkId, [...(bySink.get(row.sinkId) ?? []), row]);
      await Promise.all(
        [...bySink.values()].map(async (rows) => {
          for (const row of rows) await this.attempt(row);
        }),
      );
    }
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const sink = await this.storage.alerting.getSink(row.sinkId);
    if (!sink) return; // deleted meanwhile: its rows went with it
    let result: AttemptResult;
    try {
      const headers = await deliveryHeaders(sink.secret, Math.floor(Date.now() / 1000), row.body, row.idempotencyKey);
      result = await postWebhook(sink.url, row.body, headers, { allowPrivate: this.o.allowPrivate, timeoutMs: this.o.timeoutMs });
    } catch (e) {
      result = { kind: 'error', message: (e as Error).message };
    }
    const next = afterAttempt(row.delivery, result, Date.now(), this.o.policy, Math.random);
    await this.storage.alerting.saveDelivery(row.id, next);
    this.metrics.attempt(row.teamId, row.streamId, next.status);
    if (next.status === 'dead') this.o.log(`delivery ${row.idempotencyKey} to sink ${sink.id} is a dead letter after ${next.attempts} attempts: ${next.lastError}`);
  }
}
