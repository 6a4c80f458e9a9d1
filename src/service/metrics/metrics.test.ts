/**
 * /metrics on a real server: every series issue 15 lists (ingest counts and latencies, points
 * scored, anomalies and alerts per stream, training job durations by detector and outcome), with
 * a team key seeing only its own team's series and the admin token all of them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedOutliers } from '../../testing/synthetic.js';
import { ADMIN, testServer, waitScored, type TestServer } from '../test-server.js';
import { until } from '../../testing/until.js';

const T0 = Date.UTC(2026, 11, 1, 10);
let s: TestServer;
before(async () => {
  s = await testServer();
});
after(() => s.stop());


/** The value of one sample line, by metric name and exact labels (in prom-client's order). */
function sample(text: string, name: string, labels: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('metrics: ingest, scoring, anomalies, alerts and incidents per stream, job durations by detector and outcome; a team sees only its own', async () => {
  const a = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'metrics-a' } })).body;
  const b = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'metrics-b' } })).body;
  const st = (await s.call('POST', '/v1/streams', { key: a.key, body: { name: 'm', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 4 } } })).body.id;
  assert.equal((await s.call('POST', `/v1/streams/${st}/rules`, { key: a.key, body: { quietSeconds: 60 } })).status, 201);
  const points = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * 1000, value: i === 45 ? 50 : Math.sin(i / 3) * 0.5 }));
  assert.equal((await s.call('POST', `/v1/streams/${st}/points`, { key: a.key, body: { points: points.slice(0, 30) } })).status, 202);
  assert.equal((await s.call('POST', `/v1/streams/${st}/points`, { key: a.key, body: { points: points.slice(30) } })).status, 202);
  // Refused by the schema, by storage (time going back), and as malformed JSON: each counted once.
  assert.equal((await s.call('POST', `/v1/streams/${st}/points`, { key: a.key, body: { points: [{ t: T0, value: 'x' }] } })).status, 400);
  assert.equal((await s.call('POST', `/v1/streams/${st}/points`, { key: a.key, body: { points: [{ t: T0, value: 1 }] } })).status, 400);
  assert.equal((await s.call('POST', `/v1/streams/${st}/points`, { key: a.key, raw: '{"points": [' })).status, 400);
  assert.equal((await s.call('POST', `/v1/streams/${st}/points`, { key: b.key, body: { points: [{ t: T0, value: 1 }] } })).status, 404);
  const scored = await waitScored(s, a.key, st, 60);
  const anomalies = scored.filter((p) => p.anomaly).length;
  assert.ok(anomalies >= 1);

  const { X } = plantedOutliers({ rows: 120, cols: 2, seed: 4 });
  const csv = 'a,b\n' + Array.from({ length: 120 }, (_, i) => `${X.data[2 * i]},${X.data[2 * i + 1]}`).join('\n') + '\n';
  const d = (await s.call('POST', '/v1/datasets?name=m', { key: a.key, raw: csv, type: 'text/csv' })).body;
  const job = (await s.call('POST', '/v1/jobs', { key: a.key, body: { dataset: d.id, detector: 'iforest', options: { seed: 1 } } })).body;
  await until('the job', async () => (await s.call('GET', `/v1/jobs/${job.id}`, { key: a.key })).body.state === 'succeeded');
  // devnet learns from labels; a dataset without a label column fails in the training thread.
  const bad = (await s.call('POST', '/v1/jobs', { key: a.key, body: { dataset: d.id, detector: 'devnet' } })).body;
  await until('the failing job', async () => (await s.call('GET', `/v1/jobs/${bad.id}`, { key: a.key })).body.state === 'failed');

  const mine = await until('the alert counted', async () => {
    const m = (await s.call('GET', '/metrics', { key: a.key })).body as string;
    return sample(m, 'vigil_alerts_total', `team="${a.id}",stream="${st}",type="alert-fired"`) === 1 && m;
  });
  const per = `team="${a.id}",stream="${st}"`;
  assert.equal(sample(mine, 'vigil_ingest_requests_total', per), 2);
  assert.equal(sample(mine, 'vigil_ingest_points_total', per), 60);
  assert.equal(sample(mine, 'vigil_ingest_rejected_total', per), 3);
  assert.equal(sample(mine, 'vigil_ingest_duration_seconds_count', `team="${a.id}"`), 2, 'ingest latencies');
  assert.equal(sample(mine, 'vigil_points_scored_total', per), 60);
  assert.equal(sample(mine, 'vigil_anomalies_total', per), anomalies);
  assert.equal(sample(mine, 'vigil_incidents_opened_total', per), 1);
  const job1 = `team="${a.id}",detector="iforest",outcome="succeeded"`;
  assert.equal(sample(mine, 'vigil_job_duration_seconds_count', job1), 1, 'job durations by detector and outcome');
  assert.ok(sample(mine, 'vigil_job_duration_seconds_sum', job1)! > 0);
  assert.equal(sample(mine, 'vigil_job_duration_seconds_count', `team="${a.id}",detector="devnet",outcome="failed"`), 1);
  assert.match(mine, new RegExp(`vigil_job_duration_seconds_bucket\\{[^}]*le="\\+Inf"[^}]*\\} 1`));

  const theirs = (await s.call('GET', '/metrics', { key: b.key })).body as string;
  assert.doesNotMatch(theirs, new RegExp(a.id), "another team's key sees none of it");
  const all = (await s.call('GET', '/metrics', { key: ADMIN })).body as string;
  assert.equal(sample(all, 'vigil_alerts_total', `team="${a.id}",stream="${st}",type="alert-fired"`), 1, 'the admin sees every team');
  assert.match(all, /vigil_job_duration_seconds_count\{[^}]*detector="iforest"[^}]*\} 1/);
});
