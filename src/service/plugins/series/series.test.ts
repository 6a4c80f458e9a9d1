import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, testServer, waitScored, type TestServer } from '../../test-server.js';

let s: TestServer;
let keyA: string;
let keyB: string;
let stream: string;
const T0 = Date.UTC(2026, 11, 1, 10);

before(async () => {
  s = await testServer();
  keyA = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } })).body.key;
  keyB = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'b' } })).body.key;
  const st = await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'hosts', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 3 } } });
  stream = st.body.id;
  // Two hosts, 2,000 points each; host-1 has a spike every 500 points.
  const points = ['host-1', 'host-2'].flatMap((key) =>
    Array.from({ length: 2000 }, (_, i) => ({ t: T0 + i * 1000, key, value: Math.sin(i / 20) + (key === 'host-1' && i % 500 === 499 ? 50 : 0) })),
  );
  assert.equal((await s.call('POST', `/v1/streams/${stream}/points`, { key: keyA, body: { points } })).status, 202);
  await waitScored(s, keyA, stream, 4000);
});

after(() => s.stop());

test('series: a range reduced to at most two rows a column, with every anomaly of the series as its own row', async () => {
  const pts = (await s.call('GET', `/v1/streams/${stream}/points?key=host-1&limit=10000`, { key: keyA })).body.points as any[];
  const anomalies = pts.filter((p) => p.anomaly);
  assert.ok(anomalies.length >= 3, `${anomalies.length} anomalies`);
  const r = await s.call('GET', `/v1/streams/${stream}/series?key=host-1&columns=100`, { key: keyA });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.points, 2000);
  assert.equal(r.body.truncated, false);
  assert.deepEqual([r.body.from, r.body.to], [T0, T0 + 1999 * 1000]);
  assert.ok(r.body.rows.length <= 200 + anomalies.length);
  assert.deepEqual(
    r.body.rows.filter((x: any) => x.anomaly).map((x: any) => [x.t, x.values.value, x.score]),
    anomalies.map((p) => [p.t, p.value, p.score]),
  );
  const ranged = await s.call('GET', `/v1/streams/${stream}/series?key=host-2&from=${T0 + 100_000}&to=${T0 + 199_000}&columns=10`, { key: keyA });
  assert.equal(ranged.body.points, 100);
  assert.ok(ranged.body.rows.every((x: any) => x.t >= T0 + 100_000 && x.t <= T0 + 199_000));
});

test("keys: each series with its counts; another team's stream and a bad column count are refused", async () => {
  const k = await s.call('GET', `/v1/streams/${stream}/keys`, { key: keyA });
  assert.deepEqual(
    k.body.keys.map((x: any) => [x.key, x.points, x.lastT]),
    [
      ['host-1', 2000, T0 + 1999 * 1000],
      ['host-2', 2000, T0 + 1999 * 1000],
    ],
  );
  assert.ok(k.body.keys[0].anomalies >= 3);
  assert.equal((await s.call('GET', `/v1/streams/${stream}/keys`, { key: keyB })).status, 404);
  assert.equal((await s.call('GET', `/v1/streams/${stream}/series`, { key: keyB })).status, 404);
  assert.equal((await s.call('GET', `/v1/streams/${stream}/series?columns=0`, { key: keyA })).status, 400);
});

test("me/overview: a team key sees its own team only, in the overview's shape", async () => {
  const a = await s.call('GET', '/v1/me/overview', { key: keyA });
  assert.deepEqual(
    a.body.teams.map((t: any) => [t.name, t.streams.map((x: any) => x.name)]),
    [['a', ['hosts']]],
  );
  assert.equal(a.body.teams[0].streams[0].points, 4000);
  const b = await s.call('GET', '/v1/me/overview', { key: keyB });
  assert.deepEqual(b.body.teams.map((t: any) => [t.name, t.streams.length]), [['b', 0]]);
  assert.equal((await s.call('GET', '/v1/me/overview', { key: ADMIN })).status, 403);
});

test('the dashboard is served at / and for its client routes; the API keeps its JSON 404', async () => {
  const html = await fetch(`${s.svc.url}/streams/st_x`, { headers: { accept: 'text/html' } });
  assert.equal(html.status, 200);
  assert.match(await html.text(), /<div id="app">/);
  const api = await s.call('GET', '/v1/nothing-here', { key: keyA });
  assert.equal(api.status, 404);
  assert.equal(api.body.error, 'not_found');
});

test('series: a model change in the range is listed at the first point the new version scored', async () => {
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'versions', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 3 } } })).body.id;
  const pts = (from: number) => Array.from({ length: 100 }, (_, i) => ({ t: T0 + (from + i) * 1000, value: Math.sin(i / 10) }));
  await s.call('POST', `/v1/streams/${st}/points`, { key: keyA, body: { points: pts(0) } });
  await waitScored(s, keyA, st, 100);
  assert.deepEqual((await s.call('GET', `/v1/streams/${st}/series`, { key: keyA })).body.modelChanges, []);
  const patched = await s.call('PATCH', `/v1/streams/${st}`, { key: keyA, body: { threshold: { kind: 'value', value: 4 } } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await s.call('POST', `/v1/streams/${st}/points`, { key: keyA, body: { points: pts(100) } });
  await waitScored(s, keyA, st, 200);
  const r = await s.call('GET', `/v1/streams/${st}/series?columns=50`, { key: keyA });
  assert.deepEqual(r.body.modelChanges, [{ t: T0 + 100 * 1000, modelVersion: patched.body.modelVersion }]);
  assert.ok(patched.body.modelVersion > 1);
});
