import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verifySignature } from '../../alerting/index.js';
import { ADMIN, testServer, waitScored, type TestServer } from '../test-server.js';
import { TestReceiver, until } from './test-receiver.js';

const T0 = Date.UTC(2026, 11, 1, 10);
/** A quiet signal, then anomalies at the given offsets (seconds) with the given value. */
const signal = (n: number, spikes: Record<number, number> = {}, key?: string, from = 0) =>
  Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return { t: T0 + i * 1000, ...(key ? { key } : {}), value: spikes[i] ?? Math.sin(i / 3) * 0.5 + (i % 5) * 0.05 };
  });
/** Severity levels no score reaches: every alert is info, so a burst is one alert (no escalations). */
const FLAT = { by: 'score', warning: 1e12, critical: 1e12 } as const;

let s: TestServer;
let rx: TestReceiver;
let keyA: string;
let keyB: string;

before(async () => {
  rx = new TestReceiver();
  await rx.up();
  s = await testServer({ allowPrivateSinks: true, retry: { baseSeconds: 0.05, maxDelaySeconds: 0.4, maxAttempts: 100 }, deliveryPollMs: 50 });
  keyA = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } })).body.key;
  keyB = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'b' } })).body.key;
});

after(async () => {
  await s.stop();
  await rx.down();
});

async function stream(name: string, key = keyA): Promise<string> {
  const r = await s.call('POST', '/v1/streams', { key, body: { name, detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 4 } } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function sink(url = rx.url, key = keyA): Promise<{ id: string; secret: string }> {
  const r = await s.call('POST', '/v1/sinks', { key, body: { name: 'hook', url } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function deliveries(sinkId: string, key = keyA): Promise<any[]> {
  return (await s.call('GET', `/v1/sinks/${sinkId}/deliveries`, { key })).body.deliveries;
}

const settled = (sinkId: string, n: number) =>
  until(`${n} deliveries settled`, async () => {
    const d = await deliveries(sinkId);
    return d.length >= n && d.every((x) => x.status !== 'pending') && d;
  });

test('a burst of anomalies is one incident and one signed delivery; its quiet end is a resolution', async () => {
  const id = await stream('burst');
  const hook = await sink();
  const rule = await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, body: { sinks: [hook.id], severity: FLAT, quietSeconds: 60 } });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  assert.deepEqual([rule.body.maxPerHour, rule.body.quietSeconds, rule.body.sinks], [10, 60, [hook.id]]);
  const before = rx.received.length;
  const points = signal(80, { 50: 30, 51: 60, 52: 120, 53: 240, 54: 480 });
  assert.equal((await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points } })).status, 202);
  const scored = await waitScored(s, keyA, id, 80);
  const flagged = scored.filter((p) => p.anomaly);
  assert.ok(flagged.length >= 3, `the burst is flagged (${flagged.length} points)`);
  assert.ok(flagged.every((p) => p.t >= T0 + 50_000 && p.t <= T0 + 54_000));

  const [d] = await settled(hook.id, 1);
  const incidents = (await s.call('GET', `/v1/incidents?stream=${id}`, { key: keyA })).body.incidents;
  assert.equal(incidents.length, 1, 'one incident for the whole burst');
  const inc = incidents[0];
  assert.deepEqual([inc.status, inc.count, inc.openedAt, inc.severity], ['open', flagged.length, flagged[0].t, 'info']);
  assert.equal(d.status, 'delivered');
  assert.equal(d.event, 'alert-fired');
  assert.equal((await deliveries(hook.id)).length, 1, 'one delivery, not one per anomalous point');

  const got = rx.received.slice(before);
  assert.equal(got.length, 1);
  const body = got[0]!.body;
  const sig = String(got[0]!.headers[SIGNATURE_HEADER]);
  assert.ok(await verifySignature(hook.secret, sig, body, Math.floor(Date.now() / 1000)), 'the signature verifies with the sink secret');
  assert.ok(!(await verifySignature(hook.secret + 'x', sig, body, Math.floor(Date.now() / 1000))), 'and not with another');
  const payload = JSON.parse(body);
  assert.equal(got[0]!.headers[IDEMPOTENCY_HEADER], payload.id);
  assert.equal(payload.id, d.idempotencyKey);
  assert.deepEqual([payload.type, payload.incident.id, payload.stream.id, payload.stream.name], ['alert-fired', inc.id, id, 'burst']);

  const one = await s.call('GET', `/v1/incidents/${encodeURIComponent(inc.id)}`, { key: keyA });
  assert.deepEqual([one.status, one.body.deliveries.length], [200, 1]);
  const ack = await s.call('POST', `/v1/incidents/${encodeURIComponent(inc.id)}/ack`, { key: keyA });
  assert.equal(ack.status, 200);
  assert.ok(ack.body.ackedAt > 0);

  // Two minutes later (the points' time) the quiet period is over: resolved, and told.
  await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: signal(1, {}, undefined, 200) } });
  const both = await settled(hook.id, 2);
  assert.deepEqual(both.map((x) => x.event), ['alert-fired', 'alert-resolved']);
  const resolvedBody = JSON.parse(rx.received.slice(before).find((r) => JSON.parse(r.body).type === 'alert-resolved')!.body);
  assert.equal(resolvedBody.incident.ackedAt, new Date(ack.body.ackedAt).toISOString(), 'the resolution carries the acknowledgement');
  const resolved = (await s.call('GET', `/v1/incidents?stream=${id}&state=resolved`, { key: keyA })).body.incidents;
  assert.deepEqual([resolved.length, resolved[0].id, resolved[0].resolvedAt, resolved[0].ackedAt], [1, inc.id, flagged.at(-1).t + 60_000, ack.body.ackedAt]);
  assert.equal((await s.call('GET', '/v1/incidents?state=open', { key: keyA })).body.incidents.filter((i: any) => i.streamId === id).length, 0);

  const o = await s.call('GET', '/v1/overview', { key: ADMIN });
  const mid = o.body.teams.flatMap((t: any) => t.streams).find((x: any) => x.id === id);
  assert.equal(mid.openIncidents, 0, 'the overview counts open incidents (none left here)');
  const m = await s.call('GET', '/metrics', { key: keyA });
  assert.match(m.body, new RegExp(`vigil_alerts_sent_total\\{team="[^"]+",stream="${id}"\\} 2`));
});

test('the receiver failing (500, then refusing connections) and coming back: every alert delivered once by idempotency key', async () => {
  const id = await stream('flaky');
  const hook = await sink();
  await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, body: { sinks: [hook.id], severity: FLAT } });
  rx.status = 500;
  const start = rx.received.length;
  // Three series, each with a burst: three incidents, three alerts.
  for (const key of ['h1', 'h2', 'h3']) {
    assert.equal((await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: signal(60, { 45: 100, 46: 300 }, key) } })).status, 202);
  }
  await until('three failing deliveries retried', async () => {
    const d = await deliveries(hook.id);
    return d.length === 3 && d.every((x) => x.status === 'pending' && x.attempts >= 2 && x.lastError === 'HTTP 500');
  });
  await rx.down();
  await until('connection refused recorded', async () => {
    const d = await deliveries(hook.id);
    return d.every((x) => /ECONNREFUSED/.test(x.lastError ?? ''));
  });
  rx.status = 200;
  await rx.up();
  const done = await settled(hook.id, 3);
  assert.ok(done.every((x) => x.status === 'delivered'));
  const ok = rx.delivered().slice().filter((r) => rx.received.indexOf(r) >= start);
  const keys = ok.map((r) => String(r.headers[IDEMPOTENCY_HEADER]));
  assert.equal(new Set(keys).size, 3, 'three different alerts');
  assert.equal(keys.length, 3, 'none delivered twice');
  assert.deepEqual(new Set(keys), new Set(done.map((x) => x.idempotencyKey)));
  const failed = rx.received.slice(start).filter((r) => r.status === 500).map((r) => String(r.headers[IDEMPOTENCY_HEADER]));
  assert.ok(failed.length >= 6, 'each was retried with the same key');
  assert.ok(failed.every((k) => keys.includes(k)));
  const m = await s.call('GET', '/metrics', { key: keyA });
  assert.match(m.body, new RegExp(`vigil_alerts_failed_total\\{team="[^"]+",stream="${id}"\\} \\d+`));
});

test('feedback is stored and recalibrates the threshold so the confirmed normals fall below it', async () => {
  const r = await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'fb', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 1.2 } } });
  const id = r.body.id;
  // A short quiet period: the spike is an incident of its own, apart from the false alarms before it.
  const rule = await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, body: { quietSeconds: 2 } });
  await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: signal(120, { 110: 500 }) } });
  const pts = await waitScored(s, keyA, id, 120);
  const flagged = pts.filter((p) => p.anomaly);
  const spike = pts.find((p) => p.t === T0 + 110_000);
  const normals = flagged.filter((p) => p !== spike && p.score < spike.score);
  assert.ok(spike.anomaly && normals.length >= 2, `false alarms to correct (${normals.length})`);

  for (const p of normals) {
    const f = await s.call('POST', `/v1/streams/${id}/feedback`, { key: keyA, body: { t: p.t, label: 'normal', note: 'routine' } });
    assert.equal(f.status, 201, JSON.stringify(f.body));
    assert.equal(f.body.recalibration, null, 'not automatic without the rule saying so');
  }
  const inc = (await s.call('GET', `/v1/incidents?stream=${id}`, { key: keyA })).body.incidents.find((i: any) => i.openedAt <= spike.t && i.lastAt >= spike.t);
  assert.ok(inc, 'the spike is in an incident');
  const fi = await s.call('POST', `/v1/incidents/${encodeURIComponent(inc.id)}/feedback`, { key: keyA, body: { label: 'anomaly' } });
  assert.deepEqual([fi.status, fi.body.incidentId, fi.body.from, fi.body.to, fi.body.label], [201, inc.id, inc.openedAt, inc.lastAt, 'anomaly']);
  const list = (await s.call('GET', `/v1/streams/${id}/feedback`, { key: keyA })).body.feedback;
  assert.equal(list.length, normals.length + 1);
  assert.equal(list[0].incidentId, inc.id, 'newest first');

  const labelled = (await s.call('GET', `/v1/streams/${id}/points?limit=10000`, { key: keyA })).body.points;
  const labelAt = (t: number) => labelled.find((p: any) => p.t === t).label;
  assert.ok(normals.every((p) => labelAt(p.t) === 'normal'), 'points read show their labels');
  assert.equal(labelAt(spike.t), 'anomaly');
  assert.equal(labelAt(T0 + 119_000), null);

  const rc = await s.call('POST', `/v1/streams/${id}/recalibrate`, { key: keyA });
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.equal(rc.body.previous, 1.2);
  assert.ok(rc.body.changed);
  for (const p of normals) assert.ok(p.score <= rc.body.threshold, `normal ${p.score} falls below ${rc.body.threshold}`);
  assert.ok(spike.score > rc.body.threshold, 'the confirmed anomaly stays above');
  assert.deepEqual([rc.body.normals.below, rc.body.normals.total, rc.body.anomalies.above, rc.body.separable], [normals.length, normals.length, rc.body.anomalies.total, true]);
  const after = (await s.call('GET', `/v1/streams/${id}`, { key: keyA })).body;
  assert.deepEqual([after.threshold, after.modelVersion], [{ kind: 'value', value: rc.body.threshold }, 2]);
  assert.equal(rc.body.modelVersion, 2);

  // With the rule's say-so, feedback recalibrates by itself (here: nothing to move, same threshold).
  assert.equal((await s.call('PATCH', `/v1/rules/${rule.body.id}`, { key: keyA, body: { recalibrateOnFeedback: true } })).body.recalibrateOnFeedback, true);
  const quiet = pts.find((p) => p.threshold !== null && !p.anomaly && p.score < rc.body.threshold);
  const auto = await s.call('POST', `/v1/streams/${id}/feedback`, { key: keyA, body: { t: quiet.t, label: 'normal' } });
  assert.equal(auto.status, 201);
  assert.equal(auto.body.recalibration.threshold, rc.body.threshold);
  assert.equal(auto.body.recalibration.changed, false);
});

test("another team's incidents, rules and sinks answer 404", async () => {
  const id = await stream('private');
  const hook = await sink();
  const rule = (await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, body: { sinks: [hook.id] } })).body;
  await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: signal(50, { 40: 1000 }) } });
  const inc = await until('an incident', async () => (await s.call('GET', `/v1/incidents?stream=${id}`, { key: keyA })).body.incidents[0]);
  const enc = encodeURIComponent(inc.id);
  const o = await s.call('GET', '/v1/overview', { key: ADMIN });
  assert.equal(o.body.teams.flatMap((t: any) => t.streams).find((x: any) => x.id === id).openIncidents, 1, 'the overview counts the open incident');
  const calls: [string, string, unknown?][] = [
    ['GET', `/v1/incidents/${enc}`],
    ['POST', `/v1/incidents/${enc}/ack`],
    ['POST', `/v1/incidents/${enc}/feedback`, { label: 'normal' }],
    ['GET', `/v1/incidents?stream=${id}`],
    ['GET', `/v1/rules/${rule.id}`],
    ['PATCH', `/v1/rules/${rule.id}`, { maxPerHour: 1 }],
    ['DELETE', `/v1/rules/${rule.id}`],
    ['GET', `/v1/streams/${id}/rules`],
    ['POST', `/v1/streams/${id}/rules`, {}],
    ['GET', `/v1/sinks/${hook.id}`],
    ['PATCH', `/v1/sinks/${hook.id}`, { name: 'mine' }],
    ['DELETE', `/v1/sinks/${hook.id}`],
    ['POST', `/v1/sinks/${hook.id}/test`],
    ['GET', `/v1/sinks/${hook.id}/deliveries`],
    ['POST', `/v1/streams/${id}/feedback`, { t: T0, label: 'normal' }],
    ['GET', `/v1/streams/${id}/feedback`],
    ['POST', `/v1/streams/${id}/recalibrate`],
  ];
  for (const [m, p, body] of calls) {
    const r = await s.call(m, p, { key: keyB, body });
    assert.equal(r.status, 404, `${m} ${p}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error, 'not_found');
  }
  // B's own rule cannot name A's sink.
  const idB = await stream('b-stream', keyB);
  assert.equal((await s.call('POST', `/v1/streams/${idB}/rules`, { key: keyB, body: { sinks: [hook.id] } })).status, 404);
  assert.deepEqual((await s.call('GET', '/v1/incidents', { key: keyB })).body.incidents, []);
  assert.deepEqual((await s.call('GET', '/v1/sinks', { key: keyB })).body.sinks, []);
  assert.equal((await s.call('GET', `/v1/rules/${rule.id}`, { key: keyA })).status, 200, 'still there for its team');
});

test('bad bodies and parameters are a 4xx JSON message', async () => {
  const id = await stream('bad');
  const hook = await sink();
  const cases: [number, string, string, unknown, RegExp?][] = [
    [400, 'POST', `/v1/streams/${id}/rules`, { forPoints: 0 }, /forPoints/],
    [400, 'POST', `/v1/streams/${id}/rules`, { nope: 1 }],
    [400, 'POST', `/v1/streams/${id}/rules`, { severity: { by: 'score', warning: 5, critical: 1 } }],
    [404, 'POST', `/v1/streams/${id}/rules`, { sinks: ['sk_missing'] }, /sink/],
    [400, 'POST', '/v1/sinks', { name: 'x', url: 'ftp://example.com/x' }, /http/],
    [400, 'POST', '/v1/sinks', { name: 'x', url: 'not a url' }, /URL/],
    [400, 'POST', '/v1/sinks', { name: 'x', url: rx.url, format: 'xml' }],
    [400, 'POST', '/v1/sinks', { name: 'x', url: rx.url, secret: 'short' }, /secret/],
    [400, 'PATCH', `/v1/sinks/${hook.id}`, { url: 'gopher://x' }],
    [400, 'POST', `/v1/streams/${id}/feedback`, { t: T0, label: 'maybe' }, /label/],
    [400, 'POST', `/v1/streams/${id}/feedback`, { label: 'normal' }, /t, or both from and to/],
    [400, 'POST', `/v1/streams/${id}/feedback`, { t: T0, from: T0, to: T0, label: 'normal' }, /not both/],
    [400, 'POST', `/v1/streams/${id}/feedback`, { from: T0 + 10, to: T0, label: 'normal' }, /after/],
    [400, 'POST', `/v1/streams/${id}/feedback`, { t: 'yesterday', label: 'normal' }],
    [400, 'POST', `/v1/streams/${id}/recalibrate`, { normalWeight: -1 }],
    [409, 'POST', `/v1/streams/${id}/recalibrate`, undefined, /no labelled points/],
  ];
  for (const [status, m, p, body, msg] of cases) {
    const r = await s.call(m, p, { key: keyA, body });
    assert.equal(r.status, status, `${m} ${p} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.equal(typeof r.body.error, 'string');
    assert.equal(typeof r.body.message, 'string');
    assert.doesNotMatch(JSON.stringify(r.body), /\n\s+at /);
    if (msg) assert.match(r.body.message, msg);
  }
  assert.equal((await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, raw: '{"forPoints": ' })).status, 400);
  assert.equal((await s.call('GET', '/v1/incidents?state=closed', { key: keyA })).status, 400);
  assert.equal((await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, body: {} })).status, 201);
  const again = await s.call('POST', `/v1/streams/${id}/rules`, { key: keyA, body: {} });
  assert.equal(again.status, 409, 'one rule per stream');
  assert.match(again.body.message, /PATCH/);
  const rk = await s.call('POST', `/v1/teams/${(await s.call('GET', '/v1/me', { key: keyA })).body.teamId}/keys`, { key: ADMIN, body: { role: 'read' } });
  assert.equal((await s.call('POST', '/v1/sinks', { key: rk.body.key, body: { name: 'x', url: rx.url } })).status, 403, 'a read key cannot add sinks');
  assert.equal((await s.call('GET', '/health')).status, 200);
});

test('incident changes are on the event feed', async () => {
  const id = await stream('feed');
  const ac = new AbortController();
  const res = await fetch(`${s.svc.url}/v1/streams/${id}/events?only=anomalies`, { headers: { authorization: `Bearer ${keyA}` }, signal: AbortSignal.any([ac.signal, AbortSignal.timeout(30_000)]) });
  const reader = res.body!.getReader();
  let text = new TextDecoder().decode((await reader.read()).value);
  await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: signal(50, { 40: 1000 }) } });
  while (!/^event: incident$/m.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  ac.abort();
  const block = text.split('\n\n').find((b) => b.startsWith('event: incident'))!;
  const e = JSON.parse(block.split('data: ')[1]!);
  assert.deepEqual([e.type, e.event, e.streamId, e.incident.openedAt, e.incident.status], ['incident', 'incident-opened', id, T0 + 40_000, 'open']);
});

test('the alerting and feedback paths are in the OpenAPI document', async () => {
  const api = (await s.call('GET', '/openapi.json')).body;
  for (const p of ['/v1/streams/{id}/rules', '/v1/rules/{id}', '/v1/sinks', '/v1/sinks/{id}', '/v1/sinks/{id}/test', '/v1/incidents', '/v1/incidents/{id}', '/v1/incidents/{id}/ack', '/v1/streams/{id}/feedback', '/v1/incidents/{id}/feedback', '/v1/streams/{id}/recalibrate']) {
    assert.ok(api.paths[p], `${p} documented`);
  }
  assert.ok(api.paths['/v1/sinks'].post.requestBody, 'sink body documented from its schema');
});

test('the sink test-send is signed and reports what the receiver said', async () => {
  const hook = await sink();
  rx.status = 200;
  const r = await s.call('POST', `/v1/sinks/${hook.id}/test`, { key: keyA });
  assert.deepEqual([r.status, r.body.delivered, r.body.status], [200, true, 200]);
  const last = rx.received.at(-1)!;
  assert.equal(last.headers[IDEMPOTENCY_HEADER], r.body.idempotencyKey);
  assert.ok(await verifySignature(hook.secret, String(last.headers[SIGNATURE_HEADER]), last.body, Math.floor(Date.now() / 1000)));
  const slack = await s.call('POST', '/v1/sinks', { key: keyA, body: { name: 'slack', url: rx.url, format: 'slack' } });
  await s.call('POST', `/v1/sinks/${slack.body.id}/test`, { key: keyA });
  assert.ok(typeof JSON.parse(rx.received.at(-1)!.body).text === 'string', 'a Slack body has text');
});

test('without --allow-private-sinks a sink may not reach loopback or private addresses', async () => {
  const pub = await testServer();
  try {
    const k = (await pub.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'p' } })).body.key;
    for (const url of [rx.url, 'http://localhost:9/x', 'http://10.1.2.3/x', 'http://[::1]:9/x', 'http://169.254.169.254/latest', 'http://192.168.0.1/', 'http://[::ffff:127.0.0.1]/']) {
      const r = await pub.call('POST', '/v1/sinks', { key: k, body: { name: 'x', url } });
      assert.equal(r.status, 400, url);
      assert.match(r.body.message, /allow-private-sinks/, url);
    }
    assert.deepEqual((await pub.call('GET', '/v1/sinks', { key: k })).body.sinks, [], 'nothing stored');
  } finally {
    await pub.stop();
  }
});

test('a delivery that keeps failing is a dead letter after the last attempt, kept in the outbox', async () => {
  const dl = await testServer({ allowPrivateSinks: true, retry: { baseSeconds: 0.05, maxDelaySeconds: 0.1, maxAttempts: 3 }, deliveryPollMs: 50 });
  const down = new TestReceiver();
  await down.up();
  down.status = 503;
  try {
    const team = (await dl.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'dl' } })).body;
    const st = await dl.call('POST', '/v1/streams', { key: team.key, body: { name: 'x', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 4 } } });
    const hook = (await dl.call('POST', '/v1/sinks', { key: team.key, body: { name: 'h', url: down.url } })).body;
    await dl.call('POST', `/v1/streams/${st.body.id}/rules`, { key: team.key, body: { sinks: [hook.id] } });
    await dl.call('POST', `/v1/streams/${st.body.id}/points`, { key: team.key, body: { points: signal(50, { 40: 1000 }) } });
    const [d] = await until('a dead letter', async () => {
      const r = (await dl.call('GET', `/v1/sinks/${hook.id}/deliveries`, { key: team.key })).body.deliveries;
      return r.length && r.every((x: any) => x.status === 'dead') && r;
    });
    assert.deepEqual([d.attempts, d.lastError, d.nextAttemptAt, d.deliveredAt], [3, 'HTTP 503', null, null]);
    assert.equal(down.received.length, 3, 'exactly maxAttempts tries');
    const m = await dl.call('GET', '/metrics', { key: team.key });
    assert.match(m.body, new RegExp(`vigil_alerts_dead_total\\{team="${team.id}",stream="${st.body.id}"\\} 1`));
    assert.match(m.body, new RegExp(`vigil_alerts_failed_total\\{team="${team.id}",stream="${st.body.id}"\\} 3`));
  } finally {
    await dl.stop();
    await down.down();
  }
});
