import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, testServer, waitScored, type TestServer } from './test-server.js';

let s: TestServer;
let keyA: string;
let keyB: string;
let teamA: string;
let streamA: string;

const T0 = Date.UTC(2026, 11, 1, 10);
const series = (n: number, from = 0, key?: string) =>
  Array.from({ length: n }, (_, i) => ({ t: T0 + (from + i) * 1000, ...(key ? { key } : {}), value: (from + i) % 7 === 0 ? 1.5 : Math.sin((from + i) / 5) }));

before(async () => {
  s = await testServer({ bodyLimit: 64 * 1024 });
  const a = await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } });
  const b = await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'b' } });
  assert.equal(a.status, 201);
  keyA = a.body.key;
  keyB = b.body.key;
  teamA = a.body.id;
  const st = await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'temp', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 3 } } });
  assert.equal(st.status, 201, JSON.stringify(st.body));
  streamA = st.body.id;
  const r = await s.call('POST', `/v1/streams/${streamA}/points`, { key: keyA, body: { points: series(100) } });
  assert.deepEqual([r.status, r.body], [202, { accepted: 100 }]);
});

after(() => s.stop());

async function stored(): Promise<number> {
  const r = await s.call('GET', `/v1/streams/${streamA}/points?limit=10000`, { key: keyA });
  return r.body.points.length;
}

/** A refused request: a 4xx JSON {error, message}, nothing stored, the server still up. */
async function refused(status: number, r: { status: number; body: any }, message?: RegExp): Promise<void> {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(typeof r.body.error, 'string');
  assert.equal(typeof r.body.message, 'string');
  assert.doesNotMatch(JSON.stringify(r.body), /\n\s+at |\.js:\d+/, 'no stack trace');
  if (message) assert.match(r.body.message, message);
  assert.equal((await s.call('GET', '/health')).status, 200);
  assert.equal(await stored(), 100);
}

test('health and the OpenAPI document are open; the document lists the contract paths', async () => {
  const h = await s.call('GET', '/health');
  assert.equal(h.body.status, 'ok');
  const api = await s.call('GET', '/openapi.json');
  for (const p of ['/v1/teams', '/v1/teams/{id}/keys', '/v1/keys/{id}', '/v1/streams', '/v1/streams/{id}', '/v1/streams/{id}/points', '/v1/streams/{id}/events', '/v1/overview', '/metrics']) {
    assert.ok(api.body.paths[p], `${p} documented`);
  }
  assert.ok(api.body.paths['/v1/streams/{id}/points'].post.requestBody, 'ingest body documented from its schema');
});

test('no key, a wrong key, and a revoked key are 401; the admin token cannot use team routes', async () => {
  await refused(401, await s.call('GET', '/v1/streams'));
  await refused(401, await s.call('POST', `/v1/streams/${streamA}/points`, { body: { points: series(1, 100) } }));
  await refused(401, await s.call('GET', '/v1/streams', { key: keyA.slice(0, -1) + (keyA.endsWith('A') ? 'B' : 'A') }));
  await refused(401, await s.call('POST', '/v1/teams', { key: 'not-the-admin', body: { name: 'x' } }));
  const k = await s.call('POST', `/v1/teams/${teamA}/keys`, { key: ADMIN, body: { role: 'write' } });
  assert.equal((await s.call('GET', '/v1/streams', { key: k.body.key })).status, 200);
  assert.equal((await s.call('DELETE', `/v1/keys/${k.body.id}`, { key: ADMIN })).status, 200);
  await refused(401, await s.call('GET', '/v1/streams', { key: k.body.key }));
  await refused(403, await s.call('GET', '/v1/streams', { key: ADMIN }));
  await refused(403, await s.call('POST', '/v1/teams', { key: keyA, body: { name: 'x' } }));
});

test('a read key reads but cannot write', async () => {
  const rk = await s.call('POST', `/v1/teams/${teamA}/keys`, { key: ADMIN, body: { role: 'read' } });
  assert.equal(rk.status, 201);
  assert.equal((await s.call('GET', `/v1/streams/${streamA}`, { key: rk.body.key })).status, 200);
  await refused(403, await s.call('POST', `/v1/streams/${streamA}/points`, { key: rk.body.key, body: { points: series(1, 100) } }), /role write/);
  await refused(403, await s.call('POST', '/v1/streams', { key: rk.body.key, body: { name: 'x', detector: 'ewma' } }));
  await refused(403, await s.call('DELETE', `/v1/streams/${streamA}`, { key: rk.body.key }));
});

test("another team's ids answer 404, exactly like missing ones", async () => {
  const paths: [string, string, unknown?][] = [
    ['GET', `/v1/streams/${streamA}`],
    ['PATCH', `/v1/streams/${streamA}`, { name: 'stolen' }],
    ['DELETE', `/v1/streams/${streamA}`],
    ['GET', `/v1/streams/${streamA}/points`],
    ['GET', `/v1/streams/${streamA}/events`],
    ['POST', `/v1/streams/${streamA}/points`, { points: series(1, 100) }],
    ['POST', `/v1/teams/${teamA}/keys`, { role: 'admin' }],
  ];
  for (const [m, p, body] of paths) await refused(404, await s.call(m, p, { key: keyB, body }));
  const ownKeys = await s.call('GET', '/v1/keys', { key: keyA });
  await refused(404, await s.call('DELETE', `/v1/keys/${ownKeys.body.keys[0].id}`, { key: keyB }));
  assert.deepEqual((await s.call('GET', '/v1/streams', { key: keyB })).body.streams, []);
  assert.equal((await s.call('GET', `/v1/streams/${streamA}`, { key: keyA })).body.name, 'temp');
});

test('bad bodies are one 400 naming the first bad point and field, and store nothing', async () => {
  const post = (raw: string, type = 'application/json') => s.call('POST', `/v1/streams/${streamA}/points`, { key: keyA, raw, type });
  await refused(400, await post('{"points": ['));
  await refused(400, await post(JSON.stringify({ points: [...series(2, 100), { t: T0 + 200_000, value: 'NaN' }] })), /^point 2: value:/);
  await refused(400, await post('{"points":[{"t":1764600000000,"value":1e999}]}'), /point 0: value: .*finite/);
  await refused(400, await post(JSON.stringify({ points: [{ value: 1 }] })), /point 0: t:/);
  await refused(400, await post(JSON.stringify({ points: [{ t: T0, value: 1, values: { a: 1 } }] })), /point 0/);
  await refused(400, await post(JSON.stringify({ points: 'x' })));
  await refused(400, await post(JSON.stringify({ points: [] })));
  await refused(400, await post(`t,value\n${T0 + 200_000},1,2\n`, 'text/csv'), /CSV/);
  await refused(400, await post(`t,value\n${T0 + 200_000},NaN\n`, 'text/csv'), /point 0: value/);
  await refused(400, await post(`t,value\n${T0 + 200_000},Infinity\n`, 'text/csv'), /point 0: value/);
  await refused(400, await post(`{"t":${T0 + 200_000},"value":1}\n{"t":`, 'application/x-ndjson'), /line 2: malformed JSON/);
  await refused(415, await post('<points/>', 'application/xml'));
});

test('a time going back within a key, against what is stored or earlier in the request, refuses the request', async () => {
  const post = (points: unknown[]) => s.call('POST', `/v1/streams/${streamA}/points`, { key: keyA, body: { points } });
  await refused(400, await post([...series(3, 100), { t: T0 + 50_000, value: 1 }]), /point 3: t: .*goes back/);
  await refused(400, await post([{ t: T0 + 300_000, value: 1 }, { t: T0 + 299_000, value: 1 }]), /point 1: t/);
  // Another key has its own time line; channels must match the stream's.
  await refused(400, await post([{ t: T0 + 400_000, values: { a: 1, b: 2 } }]), /point 0: values: channels/);
});

test('an oversized body is a 413 and a limit above the documented maximum a 400', async () => {
  const big = JSON.stringify({ points: series(2000, 1000) });
  assert.ok(big.length > 64 * 1024);
  await refused(413, await s.call('POST', `/v1/streams/${streamA}/points`, { key: keyA, raw: big }));
  await refused(400, await s.call('GET', `/v1/streams/${streamA}/points?limit=10001`, { key: keyA }), /limit/);
  await refused(400, await s.call('GET', `/v1/streams/${streamA}/points?from=yesterday`, { key: keyA }), /from/);
  assert.equal((await s.call('GET', `/v1/streams/${streamA}/points?limit=10000`, { key: keyA })).status, 200);
});

test('a bad detector or option is one 400 at stream creation', async () => {
  await refused(400, await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'x', detector: 'nope' } }), /unknown stream detector/);
  await refused(400, await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'x', detector: 'rolling-z', options: { windo: 3 } } }), /unknown option/);
  await refused(400, await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'x', detector: 'rolling-z', threshold: { kind: 'risk', q: 2 } } }), /threshold/);
  assert.equal((await s.call('GET', '/v1/streams', { key: keyA })).body.streams.length, 1);
});

test('JSON, NDJSON and CSV ingest; every point is scored with score, anomaly, threshold and model version', async () => {
  const st = await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'multi', detector: 'rolling-z', options: { window: 10 }, warmup: 20, threshold: { kind: 'value', value: 4 } } });
  const id = st.body.id;
  const ingest = (raw: string, type: string) => s.call('POST', `/v1/streams/${id}/points`, { key: keyA, raw, type });
  const json = await ingest(JSON.stringify({ points: series(30, 0, 'h1').map((p) => ({ ...p, t: new Date(p.t).toISOString() })) }), 'application/json');
  assert.deepEqual(json.body, { accepted: 30 });
  const nd = await ingest(series(10, 30, 'h1').map((p) => JSON.stringify(p)).join('\n') + '\n', 'application/x-ndjson');
  assert.deepEqual(nd.body, { accepted: 10 });
  const csv = ['t,key,value', ...series(10, 40, 'h1').map((p) => `${p.t},h1,${p.value}`), `${T0 + 50_000},h1,40`].join('\n');
  assert.deepEqual((await ingest(csv, 'text/csv')).body, { accepted: 11 });
  const pts = await waitScored(s, keyA, id, 51);
  assert.equal(pts.length, 51);
  assert.deepEqual(pts.map((p) => p.t), [...pts.map((p) => p.t)].sort((a, b) => a - b));
  assert.ok(pts.slice(0, 20).every((p) => p.threshold === null && p.anomaly === false), 'warming up: no threshold, no flag');
  const last = pts[50];
  assert.deepEqual([last.value, last.anomaly, last.threshold, last.modelVersion], [40, true, 4, 1]);
  assert.ok(last.score > 4);
  const one = await s.call('GET', `/v1/streams/${id}/points?key=h1&from=${T0 + 40_000}&to=${new Date(T0 + 44_000).toISOString()}`, { key: keyA });
  assert.deepEqual(one.body.points.map((p: any) => p.t), [0, 1, 2, 3, 4].map((i) => T0 + 40_000 + i * 1000));
  const latest = await s.call('GET', `/v1/streams/${id}/points?limit=2&latest=true`, { key: keyA });
  assert.deepEqual(latest.body.points.map((p: any) => p.t), [T0 + 49_000, T0 + 50_000]);
});

test('multi-channel points get per-channel scores; PATCH of the detector is a new model version', async () => {
  const st = await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'machine', detector: 'ewma', warmup: 5, threshold: { kind: 'value', value: 5 } } });
  const id = st.body.id;
  const pts = Array.from({ length: 20 }, (_, i) => ({ t: T0 + i, values: { temp: 20 + (i % 3), vib: 1 + (i % 2) * 0.1 } }));
  assert.equal((await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: pts } })).status, 202);
  const scored = await waitScored(s, keyA, id, 20);
  assert.deepEqual(Object.keys(scored[19].channels).sort(), ['temp', 'vib']);
  assert.deepEqual(scored[19].values, pts[19]!.values);
  const p = await s.call('PATCH', `/v1/streams/${id}`, { key: keyA, body: { detector: 'rolling-mad', options: { window: 5 } } });
  assert.deepEqual([p.status, p.body.modelVersion, p.body.detector, p.body.channels], [200, 2, 'rolling-mad', ['temp', 'vib']]);
  const more = Array.from({ length: 5 }, (_, i) => ({ t: T0 + 100 + i, values: { temp: 20, vib: 1 } }));
  await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points: more } });
  const after = await waitScored(s, keyA, id, 25);
  assert.deepEqual(after.map((x) => x.modelVersion), [...Array(20).fill(1), ...Array(5).fill(2)]);
  assert.ok(after.slice(20).every((x) => x.threshold === null), 'the new detector warms up from scratch');
  await refused(400, await s.call('PATCH', `/v1/streams/${id}`, { key: keyA, body: { options: { nope: 1 } } }), /unknown option/);
  assert.equal((await s.call('DELETE', `/v1/streams/${id}`, { key: keyA })).status, 200);
  assert.equal((await s.call('GET', `/v1/streams/${id}`, { key: keyA })).status, 404);
});

test('the event feed sends scored points and anomalies of the stream', async () => {
  const st = await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'live', detector: 'rolling-z', options: { window: 5 }, warmup: 5, threshold: { kind: 'value', value: 3 } } });
  const id = st.body.id;
  const ac = new AbortController();
  const res = await fetch(`${s.svc.url}/v1/streams/${id}/events`, { headers: { authorization: `Bearer ${keyA}` }, signal: AbortSignal.any([ac.signal, AbortSignal.timeout(30_000)]) });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  let text = '';
  const first = await reader.read(); // the opening comment: subscribed
  text += new TextDecoder().decode(first.value);
  const points = [...Array.from({ length: 10 }, (_, i) => ({ t: T0 + i, value: i % 2 })), { t: T0 + 10, value: 50 }];
  await s.call('POST', `/v1/streams/${id}/points`, { key: keyA, body: { points } });
  while ((text.match(/^event: /gm) ?? []).length < 11) text += new TextDecoder().decode((await reader.read()).value);
  ac.abort();
  const events = text.split('\n\n').filter((b) => b.startsWith('event:'));
  assert.equal(events.filter((e) => e.startsWith('event: point')).length, 10);
  const anomaly = events.find((e) => e.startsWith('event: anomaly'))!;
  assert.equal(JSON.parse(anomaly.split('data: ')[1]!).t, T0 + 10);
});

test('metrics: the admin token sees every series, a team key only its own', async () => {
  const all = await s.call('GET', '/metrics', { key: ADMIN });
  assert.match(all.body, new RegExp(`vigil_ingest_points_total\\{team="${teamA}",stream="${streamA}"\\} 100`));
  assert.match(all.body, /vigil_points_scored_total/);
  const b = await s.call('POST', '/v1/streams', { key: keyB, body: { name: 'b1', detector: 'ewma' } });
  await s.call('POST', `/v1/streams/${b.body.id}/points`, { key: keyB, body: { points: series(3) } });
  const mine = await s.call('GET', '/metrics', { key: keyB });
  assert.equal(mine.status, 200);
  assert.match(mine.body, new RegExp(`stream="${b.body.id}"`));
  assert.doesNotMatch(mine.body, new RegExp(teamA));
  await refused(401, await s.call('GET', '/metrics'));
});

test('the overview lists every team with its streams, state and anomaly counts (admin only)', async () => {
  await refused(403, await s.call('GET', '/v1/overview', { key: keyA }));
  const o = await s.call('GET', '/v1/overview', { key: ADMIN });
  assert.equal(o.status, 200);
  const a = o.body.teams.find((t: any) => t.id === teamA);
  const temp = a.streams.find((x: any) => x.id === streamA);
  assert.equal(temp.points, 100);
  assert.ok(['warming-up', 'scoring'].includes(temp.state));
  assert.equal(typeof temp.anomaliesLastHour, 'number');
  assert.ok(o.body.teams.some((t: any) => t.name === 'b'));
});

test('past the rate limit a key gets 429 with Retry-After', async () => {
  const r = await testServer({ rateLimit: 3, rateWindowMs: 60_000 });
  try {
    const team = await r.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'rl' } });
    for (let i = 0; i < 3; i++) assert.equal((await r.call('GET', '/v1/streams', { key: team.body.key })).status, 200);
    const limited = await r.call('GET', '/v1/streams', { key: team.body.key });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await r.call('GET', '/health')).status, 200, 'another caller is not limited by this key');
  } finally {
    await r.stop();
  }
});
