/**
 * What the service's outbox needs to deliver an alert, as pure functions: the request body
 * (generic JSON, or a Slack-compatible `{text, blocks}`), the idempotency key, and the retry
 * schedule with its dead letter. Signing is in signature.ts and sink URL checks in sink-url.ts
 * (re-exported here). Times are passed in; randomness is passed in (a seeded Rng's `next`).
 */
import { z } from 'zod';
import { OptionsError } from '../core/errors.js';
import { parseOptions } from '../core/parse-options.js';
import type { Alert, AlertEventType } from './alerter.js';

export * from './signature.js';
export * from './sink-url.js';

/**
 * The idempotency key of a delivery: the same for a redelivery of the same alert, different for
 * any other alert. It is the three parts joined (not a hash), so two alerts can never share a key;
 * the incident id is percent-encoded, so the key is plain ASCII, safe in a header. Each sink sees
 * an alert under the same key; the outbox's unique row is (sink, key).
 */
export function idempotencyKey(incidentId: string, event: AlertEventType, seq: number): string {
  if (!Number.isInteger(seq) || seq < 0) throw new OptionsError(`sequence must be a whole number >= 0, got ${seq}`);
  return `${event}.${seq}.${encodeURIComponent(incidentId)}`;
}

export function alertKey(alert: Alert): string {
  return idempotencyKey(alert.incident.id, alert.type, alert.seq);
}

export const SINK_FORMATS = ['json', 'slack'] as const;
export type SinkFormat = (typeof SINK_FORMATS)[number];

export interface PayloadContext {
  /** The stream's display name (its id is in the incident). */
  streamName?: string;
  /** A link for people, e.g. the dashboard's page of the incident. */
  url?: string;
}

// Date's range is +-8.64e15 ms; outside it there is no ISO form.
const iso = (t: number | null): string | null => (t === null || !(Math.abs(t) <= 8.64e15) ? null : new Date(t).toISOString());
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The generic JSON body of a webhook delivery. */
export function alertPayload(alert: Alert, ctx: PayloadContext = {}) {
  const i = alert.incident;
  return {
    id: alertKey(alert),
    type: alert.type,
    severity: alert.severity,
    time: iso(alert.t),
    stream: { id: i.streamId, name: ctx.streamName ?? null },
    incident: {
      id: i.id,
      key: i.key === '' ? null : i.key,
      status: i.status,
      openedAt: iso(i.openedAt),
      lastAt: iso(i.lastAt),
      resolvedAt: iso(i.resolvedAt),
      ackedAt: iso(i.ackedAt),
      count: i.count,
      peakScore: finite(i.peakScore),
      peakThreshold: finite(i.peakThreshold),
      peakAt: iso(i.peakAt),
    },
    url: ctx.url ?? null,
  };
}
export type AlertPayload = ReturnType<typeof alertPayload>;

/** Slack's mrkdwn needs only these three escaped. */
const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));

const HEADLINE: Record<AlertEventType, string> = {
  'alert-fired': 'Anomaly',
  'alert-escalated': 'Anomaly escalated',
  'alert-resolved': 'Resolved',
};

/** A Slack-compatible body (an incoming webhook's `{text, blocks}`): `text` is the notification's fallback. */
export function slackBody(alert: Alert, ctx: PayloadContext = {}) {
  const i = alert.incident;
  const where = `${ctx.streamName ?? i.streamId}${i.key === '' ? '' : ` / ${i.key}`}`;
  const text = `[${alert.severity.toUpperCase()}] ${HEADLINE[alert.type]} in ${where}: peak ${num(i.peakScore)} (threshold ${num(i.peakThreshold)}), ${i.count} point${i.count === 1 ? '' : 's'} since ${iso(i.openedAt)}`;
  const fields = [
    ['Severity', alert.severity],
    ['Status', i.status],
    ['Peak score', `${num(i.peakScore)} at ${iso(i.peakAt)}`],
    ['Threshold', num(i.peakThreshold)],
    ['Anomalous points', String(i.count)],
    [i.status === 'resolved' ? 'Resolved' : 'Last anomaly', iso(i.resolvedAt ?? i.lastAt)!],
  ].map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${slackEscape(v!)}` }));
  const blocks: unknown[] = [
    // Slack caps a header's text at 150 characters.
    { type: 'header', text: { type: 'plain_text', text: `${HEADLINE[alert.type]}: ${where}`.slice(0, 150) } },
    { type: 'section', fields },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `incident ${slackEscape(i.id)}` }] },
  ];
  if (ctx.url) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: ctx.url }] });
  return { text: slackEscape(text), blocks };
}

/** The exact bytes to send (and sign) for an alert to a sink of `format`. */
export function deliveryBody(alert: Alert, format: SinkFormat, ctx: PayloadContext = {}): string {
  return JSON.stringify(format === 'slack' ? slackBody(alert, ctx) : alertPayload(alert, ctx));
}

/**
 * The retry schedule. The delay after failure n is base * factor^(n-1), capped at maxDelay, less a
 * random share of up to `jitter` of it (so sinks that failed together do not retry together). With
 * factor * (1 - jitter) >= 1, which the schema requires, every delay is at least the one before, so
 * the schedule is monotone whatever the random draws; it is bounded by maxDelay per wait and by
 * maxAttempts in count, after which the delivery is a dead letter.
 */
export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(16),
    baseSeconds: z.number().finite().positive().default(2),
    factor: z.number().finite().min(1).default(2),
    maxDelaySeconds: z.number().finite().positive().default(3600),
    jitter: z.number().min(0).max(1).default(0.5),
  })
  .strict()
  .refine((p) => p.factor * (1 - p.jitter) >= 1, { message: 'factor * (1 - jitter) must be at least 1, so delays never shrink' })
  .refine((p) => p.baseSeconds <= p.maxDelaySeconds, { message: 'baseSeconds must not exceed maxDelaySeconds' });
export type RetryPolicy = z.output<typeof retryPolicySchema>;
export type RetryPolicyInput = z.input<typeof retryPolicySchema>;

export function parseRetryPolicy(raw: unknown = {}): RetryPolicy {
  return parseOptions(retryPolicySchema, raw, 'retry policy');
}

/** Milliseconds to wait after the `failures`-th failed attempt (1 = the first). `random` is uniform in [0, 1). */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number): number {
  if (!Number.isInteger(failures) || failures < 1) throw new OptionsError(`failures must be a whole number >= 1, got ${failures}`);
  const r = random();
  if (!(r >= 0 && r < 1)) throw new OptionsError(`random() must be in [0, 1), got ${r}`);
  const raw = policy.baseSeconds * 1000 * policy.factor ** (failures - 1);
  return Math.min(policy.maxDelaySeconds * 1000, Math.round(raw * (1 - policy.jitter * r)));
}

/** Only a 2xx delivers; a redirect is a failure too, since following it could reach an unchecked address. */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}

export type AttemptResult =
  | { kind: 'response'; status: number; /** the receiver's Retry-After, in seconds */ retryAfterSeconds?: number }
  | { kind: 'error'; message: string };

/** One outbox row's delivery state, plain JSON. */
export interface DeliveryState {
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  /** When the next attempt is due (null once delivered or dead). */
  nextAttemptAt: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export function newDelivery(now: number): DeliveryState {
  return { status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, deliveredAt: null };
}

/**
 * The state after one attempt at `now`. Any failure is retried (a receiver that is down answers
 * 4xx or 5xx alike) until maxAttempts, then the delivery is dead: kept, never deleted, for a person
 * to replay. A Retry-After longer than the backoff is honoured up to maxDelay.
 */
export function afterAttempt(state: DeliveryState, result: AttemptResult, now: number, policy: RetryPolicy, random: () => number): DeliveryState {
  if (state.status !== 'pending') throw new OptionsError(`delivery is ${state.status}, not pending`);
  const attempts = state.attempts + 1;
  if (result.kind === 'response' && isDelivered(result.status)) {
    return { status: 'delivered', attempts, nextAttemptAt: null, lastError: null, deliveredAt: now };
  }
  const lastError = result.kind === 'error' ? result.message : `HTTP ${result.status}`;
  if (attempts >= policy.maxAttempts) return { status: 'dead', attempts, nextAttemptAt: null, lastError, deliveredAt: null };
  let delay = retryDelayMs(attempts, policy, random);
  const after = result.kind === 'response' ? result.retryAfterSeconds : undefined;
  if (after !== undefined && Number.isFinite(after) && after * 1000 > delay) delay = Math.min(policy.maxDelaySeconds * 1000, after * 1000);
  return { status: 'pending', attempts, nextAttemptAt: now + delay, lastError, deliveredAt: null };
}
