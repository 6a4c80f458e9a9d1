import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { OptionsError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import type { Alert } from './alerter.js';
import {
  afterAttempt,
  alertKey,
  alertPayload,
  deliveryBody,
  deliveryHeaders,
  idempotencyKey,
  newDelivery,
  parseRetryPolicy,
  retryDelayMs,
  signatureHeader,
  slackBody,
  verifySignature,
  type AttemptResult,
  type DeliveryState,
} from './delivery.js';
import type { Incident } from './incidents.js';

const incident: Incident = {
  id: 'payments:host-7:1764583200000',
  streamId: 'payments',
  key: 'host-7',
  status: 'open',
  openedAt: 1764583200000,
  lastAt: 1764583260000,
  resolvedAt: null,
  count: 7,
  peakScore: 9.25,
  peakAt: 1764583230000,
  peakThreshold: 3,
  ackedAt: null,
  seq: 7,
};
const alert: Alert = { type: 'alert-fired', seq: 6, t: 1764583260000, severity: 'critical', incident };

test('idempotency keys are stable for the same alert and distinct across incident, event and sequence', () => {
  assert.equal(idempotencyKey('i1', 'alert-fired', 0), idempotencyKey('i1', 'alert-fired', 0));
  assert.equal(alertKey(alert), alertKey(structuredClone(alert)));
  const keys = new Set<string>();
  for (const id of ['i1', 'i2', 'i1.0', 'a:b', 'a%3Ab', '']) {
    for (const ev of ['alert-fired', 'alert-escalated', 'alert-resolved'] as const) for (const seq of [0, 1, 10]) keys.add(idempotencyKey(id, ev, seq));
  }
  assert.equal(keys.size, 6 * 3 * 3);
  // Plain ASCII without spaces or separators a header would trip on.
  for (const k of keys) assert.match(k, /^[A-Za-z0-9._~%!'()*-]+$/);
  assert.throws(() => idempotencyKey('i', 'alert-fired', -1), OptionsError);
  assert.throws(() => idempotencyKey('i', 'alert-fired', 1.5), OptionsError);
});

test('the JSON payload names the alert, the stream, the series and the incident with ISO times', () => {
  const p = alertPayload(alert, { streamName: 'Payments', url: 'https://vigil.example/incidents/1' });
  assert.equal(p.id, alertKey(alert));
  assert.equal(p.type, 'alert-fired');
  assert.equal(p.severity, 'critical');
  assert.equal(p.time, '2025-12-01T10:01:00.000Z');
  assert.deepEqual(p.stream, { id: 'payments', name: 'Payments' });
  assert.equal(p.incident.key, 'host-7');
  assert.equal(p.incident.openedAt, '2025-12-01T10:00:00.000Z');
  assert.equal(p.incident.resolvedAt, null);
  assert.equal(p.incident.count, 7);
  assert.equal(p.incident.peakScore, 9.25);
  assert.equal(p.url, 'https://vigil.example/incidents/1');
  // A single-series stream has no key, and a warm-up NaN becomes null rather than breaking the JSON.
  const q = alertPayload({ ...alert, incident: { ...incident, key: '', peakThreshold: NaN } });
  assert.equal(q.incident.key, null);
  assert.equal(q.incident.peakThreshold, null);
  assert.deepEqual(JSON.parse(deliveryBody(alert, 'json')), JSON.parse(JSON.stringify(alertPayload(alert))));
});

test('the Slack body has fallback text and blocks, escapes mrkdwn and links the incident when asked', () => {
  const b = slackBody({ ...alert, incident: { ...incident, key: '<b>&' } }, { streamName: 'Payments', url: 'https://vigil.example/i/1' });
  assert.match(b.text, /^\[CRITICAL\] Anomaly in Payments \/ &lt;b&gt;&amp;: peak 9\.25 \(threshold 3\), 7 points since 2025-12-01T10:00:00\.000Z$/);
  const blocks = b.blocks as { type: string; text?: { text: string }; elements?: { url?: string }[] }[];
  assert.deepEqual(blocks.map((x) => x.type), ['header', 'section', 'context', 'actions']);
  assert.ok(blocks[0]!.text!.text.length <= 150);
  assert.equal(blocks[3]!.elements![0]!.url, 'https://vigil.example/i/1');
  const resolved = slackBody({ ...alert, type: 'alert-resolved', incident: { ...incident, status: 'resolved', resolvedAt: incident.lastAt + 600_000 } });
  assert.match(resolved.text, /Resolved in payments \/ host-7/);
  assert.deepEqual((resolved.blocks as { type: string }[]).map((x) => x.type), ['header', 'section', 'context']);
  assert.deepEqual(JSON.parse(deliveryBody(alert, 'slack')), slackBody(alert));
});

test('the signature is HMAC-SHA256 over "timestamp.body" and verifies only the same body, secret and fresh time', async () => {
  const body = deliveryBody(alert, 'json');
  const h = await signatureHeader('s3cret', 1764583260, body);
  const expected = createHmac('sha256', 's3cret').update(`1764583260.${body}`).digest('hex');
  assert.equal(h, `t=1764583260,v1=${expected}`);
  assert.equal(await verifySignature('s3cret', h, body, 1764583260 + 10), true);
  assert.equal(await verifySignature('s3cret', h, body + ' ', 1764583260), false);
  assert.equal(await verifySignature('other', h, body, 1764583260), false);
  assert.equal(await verifySignature('s3cret', h, body, 1764583260 + 301), false);
  assert.equal(await verifySignature('s3cret', h.replace('t=1764583260', 't=1764583261'), body, 1764583261), false);
  assert.equal(await verifySignature('s3cret', 'garbage', body, 1764583260), false);
  const headers = await deliveryHeaders('s3cret', 1764583260, body, alertKey(alert));
  assert.deepEqual(Object.keys(headers).sort(), ['content-type', 'idempotency-key', 'x-vigil-signature']);
  assert.equal(headers['x-vigil-signature'], h);
  await assert.rejects(() => signatureHeader('', 1, body), OptionsError);
  await assert.rejects(() => signatureHeader('k', 1.5, body), OptionsError);
});

test('the backoff schedule is monotone and bounded whatever the random draws', () => {
  const policy = parseRetryPolicy({ baseSeconds: 1, maxDelaySeconds: 600, maxAttempts: 20 });
  for (const seed of [1, 2, 3, 42]) {
    const rng = new Rng(seed);
    const delays = Array.from({ length: 19 }, (_, i) => retryDelayMs(i + 1, policy, () => rng.next()));
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i]! >= delays[i - 1]!, `seed ${seed}: ${delays.join(',')}`);
    assert.ok(delays.every((d) => d > 0 && d <= 600_000));
    assert.equal(delays[delays.length - 1], 600_000);
  }
  // The extremes of the jitter: no jitter gives base * 2^(n-1); the largest gives half of it.
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0)), [1000, 2000, 4000, 8000]);
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0.999999)), [500, 1000, 2000, 4000]);
  // The same seed gives the same schedule.
  const a = new Rng(7);
  const b = new Rng(7);
  assert.deepEqual([1, 2, 3].map((n) => retryDelayMs(n, policy, () => a.next())), [1, 2, 3].map((n) => retryDelayMs(n, policy, () => b.next())));
});

test('a retry policy that could shrink its delays is refused', () => {
  assert.throws(() => parseRetryPolicy({ factor: 1.5, jitter: 0.5 }), /never shrink/);
  assert.throws(() => parseRetryPolicy({ baseSeconds: 10, maxDelaySeconds: 5 }), OptionsError);
  assert.throws(() => parseRetryPolicy({ maxAttempts: 0 }), OptionsError);
  assert.throws(() => retryDelayMs(0, parseRetryPolicy(), () => 0), OptionsError);
  assert.throws(() => retryDelayMs(1, parseRetryPolicy(), () => 1), OptionsError);
});

test('an outbox row retries each failure until maxAttempts, then is a dead letter; a 2xx delivers', () => {
  const policy = parseRetryPolicy({ baseSeconds: 1, maxAttempts: 4, jitter: 0 });
  const down: AttemptResult = { kind: 'error', message: 'ECONNREFUSED' };
  let s: DeliveryState = newDelivery(0);
  const due: (number | null)[] = [];
  const statuses: string[] = [];
  for (let i = 0; i < 4; i++) {
    s = afterAttempt(s, i === 1 ? { kind: 'response', status: 503 } : down, s.nextAttemptAt!, policy, () => 0);
    due.push(s.nextAttemptAt);
    statuses.push(s.status);
  }
  assert.deepEqual(due, [1000, 3000, 7000, null]);
  assert.deepEqual(statuses, ['pending', 'pending', 'pending', 'dead']);
  assert.equal(s.attempts, 4);
  assert.equal(s.lastError, 'ECONNREFUSED');
  assert.throws(() => afterAttempt(s, down, 8000, policy, () => 0), OptionsError);

  const ok = afterAttempt(afterAttempt(newDelivery(0), { kind: 'response', status: 500 }, 0, policy, () => 0), { kind: 'response', status: 204 }, 1000, policy, () => 0);
  assert.deepEqual(ok, { status: 'delivered', attempts: 2, nextAttemptAt: null, lastError: null, deliveredAt: 1000 });
  // A redirect is not followed, so it is a failure; a Retry-After longer than the backoff is honoured.
  assert.equal(afterAttempt(newDelivery(0), { kind: 'response', status: 301 }, 0, policy, () => 0).status, 'pending');
  assert.equal(afterAttempt(newDelivery(0), { kind: 'response', status: 429, retryAfterSeconds: 30 }, 0, policy, () => 0).nextAttemptAt, 30_000);
  assert.equal(afterAttempt(newDelivery(0), { kind: 'response', status: 429, retryAfterSeconds: 1e9 }, 0, policy, () => 0).nextAttemptAt, 3_600_000);
});
