/**
 * Datasets, training jobs, model versions, promotion and roll back, batch scoring, retraining
 * with a shadow comparison, and retention, on a real server (random loopback port, temporary
 * SQLite file and data dir). Waits poll with generous bounds; nothing depends on timing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedOutliers } from '../testing/synthetic.js';
import { ADMIN, testServer, waitScored, type TestServer } from './test-server.js';
import { until } from '../testing/until.js';

let s: TestServer;
let keyA: string;
let keyB: string;

const T0 = Date.UTC(2026, 10, 1);

/** Two columns of planted outliers with their 0/1 labels, as CSV. */
function plantedCsv(rows = 300, seed = 7): { csv: string; rows: number[][]; labels: number[] } {
  const { X, labels } = plantedOutliers({ rows, cols: 2, outliers: 12, seed });
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push([X.data[i * 2]!, X.data[i * 2 + 1]!]);
  return { csv: 'a,b,label\n' + out.map((r, i) => `${r[0]},${r[1]},${labels[i]}`).join('\n') + '\n', rows: out, labels: Array.from(labels) };
}


const job = (id: string, key = keyA) => s.call('GET', `/v1/jobs/${id}`, { key }).then((r) => r.body);
const finished = (id: string) => until(`job ${id}`, async () => {
  const j = await job(id);
  return ['succeeded', 'failed', 'cancelled'].includes(j.state) && j;
});

before(async () => {
  s = await testServer({ datasetLimit: 100_000, retrainCheckMs: 50, retentionSweepMs: 50, worker: { checkpointPoints: 1 } });
  keyA = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } })).body.key;
  keyB = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'b' } })).body.key;
});
after(() => s.stop());

async function uploaded(csv: string, name = 'planted'): Promise<any> {
  const r = await s.call('POST', `/v1/datasets?name=${name}`, { key: keyA, raw: csv, type: 'text/csv' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function trained(body: Record<string, unknown>): Promise<any> {
  const r = await s.call('POST', '/v1/jobs', { key: keyA, body });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.state, 'queued');
  const j = await finished(r.body.id);
  assert.equal(j.state, 'succeeded', JSON.stringify(j));
  return j;
}

test('a dataset upload counts rows and columns; another team sees 404; delete removes it', async () => {
  const { csv } = plantedCsv();
  const d = await uploaded(csv);
  assert.equal(d.rows, 300);
  assert.deepEqual(d.columns, ['a', 'b', 'label']);
  assert.equal(d.format, 'csv');
  assert.ok((await s.call('GET', '/v1/datasets', { key: keyA })).body.datasets.some((x: any) => x.id === d.id));
  assert.equal((await s.call('GET', `/v1/datasets/${d.id}`, { key: keyB })).status, 404);
  assert.equal((await s.call('DELETE', `/v1/datasets/${d.id}`, { key: keyB })).status, 404);
  const nd = await s.call('POST', '/v1/datasets', { key: keyA, raw: '{"x":1,"y":2}\n{"x":3,"y":4}\n', type: 'application/x-ndjson' });
  assert.equal(nd.status, 201);
  assert.deepEqual([nd.body.rows, nd.body.columns], [2, ['x', 'y']]);
  assert.equal((await s.call('DELETE', `/v1/datasets/${nd.body.id}`, { key: keyA })).status, 200);
  assert.equal((await s.call('GET', `/v1/datasets/${nd.body.id}`, { key: keyA })).status, 404);
});

test('bad uploads and bad job bodies are 4xx JSON with a one-line message, and store nothing', async () => {
  const before = (await s.call('GET', '/v1/datasets', { key: keyA })).body.datasets.length;
  const ragged = await s.call('POST', '/v1/datasets', { key: keyA, raw: 'a,b\n1,2\n3\n', type: 'text/csv' });
  assert.equal(ragged.status, 400);
  assert.match(ragged.body.message, /row|column|field/i);
  assert.ok(!ragged.body.message.includes('\n'));
  const big = await s.call('POST', '/v1/datasets', { key: keyA, raw: 'a\n' + '1\n'.repeat(60_000), type: 'text/csv' });
  assert.equal(big.status, 413);
  assert.equal(big.body.error, 'payload_too_large');
  assert.equal((await s.call('POST', '/v1/datasets', { key: keyA, raw: '', type: 'text/csv' })).status, 400);
  assert.equal((await s.call('POST', '/v1/datasets', { key: keyA, body: { a: 1 } })).status, 415);
  assert.equal((await s.call('GET', '/v1/datasets', { key: keyA })).body.datasets.length, before);

  const d = await uploaded(plantedCsv().csv);
  for (const [body, status, re] of [
    [{ detector: 'iforest' }, 400, /dataset or stream/],
    [{ dataset: d.id }, 400, /detector: Required/],
    [{ dataset: d.id, detector: 'no-such' }, 400, /no-such|unknown/],
    [{ dataset: d.id, detector: 'iforest', options: { trees: -1 } }, 400, /./],
    [{ dataset: d.id, detector: 'iforest', label: 'nope' }, 400, /no column 'nope'/],
    [{ dataset: 'ds_missing', detector: 'iforest' }, 404, /not found/],
    [{ dataset: d.id, stream: 'st_x', detector: 'iforest' }, 400, /one of them/],
  ] as const) {
    const r = await s.call('POST', '/v1/jobs', { key: keyA, body });
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.message, re);
  }
  assert.equal((await s.call('POST', '/v1/jobs', { key: keyB, body: { dataset: d.id, detector: 'iforest' } })).status, 404);
  const bad = await s.call('POST', '/v1/jobs', { key: keyA, raw: '{"dataset": ', type: 'application/json' });
  assert.equal(bad.status, 400);
  assert.equal(typeof bad.body.message, 'string');
});

test('an iforest job: model version with metrics, file, batch scores; promote to a stream, scores carry the new version; roll back', async () => {
  const data = plantedCsv();
  const d = await uploaded(data.csv);
  const j = await trained({ dataset: d.id, detector: 'iforest', options: { seed: 3 }, label: 'label' });
  assert.equal(j.percent, 100);
  assert.ok(j.modelId);
  const logs = (await s.call('GET', `/v1/jobs/${j.id}/logs`, { key: keyA })).body.logs.map((l: any) => l.message);
  assert.ok(logs.some((m: string) => m.startsWith('queued')) && logs.includes('started') && logs.includes('succeeded'), logs.join(' | '));

  const models = (await s.call('GET', '/v1/models', { key: keyA })).body.models;
  const m = models.find((x: any) => x.id === j.modelId);
  assert.ok(m, 'the model is listed');
  assert.equal(m.kind, 'tabular');
  assert.deepEqual(m.columns, ['a', 'b']);
  assert.equal(m.metrics.trainingRows, 300);
  assert.ok(m.metrics.fitSeconds >= 0);
  assert.ok(m.metrics.rocAuc > 0.9, `ROC-AUC ${m.metrics.rocAuc}`);
  assert.ok(m.metrics.prAuc > 0.5, `PR-AUC ${m.metrics.prAuc}`);
  assert.ok(m.metrics.scoreQuantiles.p99 >= m.metrics.scoreQuantiles.p50);
  assert.deepEqual(m.source, { dataset: d.id });
  assert.equal((await s.call('GET', `/v1/models/${m.id}`, { key: keyB })).status, 404);
  const file = await fetch(`${s.svc.url}/v1/models/${m.id}/file`, { headers: { authorization: `Bearer ${keyA}` } });
  assert.equal(file.status, 200);
  const bytes = Buffer.from(await file.arrayBuffer());
  assert.equal(bytes.subarray(0, 8).toString(), 'VIGILMDL');
  assert.equal(bytes.length, m.bytes);

  // Batch scoring, JSON and CSV: the same rows give the same scores; the planted outlier is flagged.
  const out = data.rows[data.labels.indexOf(1)]!;
  const normal = [0.1, 0.2];
  const js = await s.call('POST', `/v1/models/${m.id}/score`, { key: keyA, body: { rows: [{ a: normal[0], b: normal[1] }, { a: out[0], b: out[1] }] } });
  assert.equal(js.status, 200, JSON.stringify(js.body));
  assert.deepEqual(js.body.anomalies, [false, true]);
  assert.ok(js.body.scores[1] > js.body.scores[0]);
  const csv = await s.call('POST', `/v1/models/${m.id}/score`, { key: keyA, raw: `a,b\n${normal.join(',')}\n${out.join(',')}\n`, type: 'text/csv' });
  assert.equal(csv.status, 200, JSON.stringify(csv.body));
  assert.deepEqual(csv.body.scores, js.body.scores);
  assert.equal((await s.call('POST', `/v1/models/${m.id}/score`, { key: keyA, body: { rows: [{ a: 1 }] } })).body.message, "row 0: missing column 'b' (the model reads a, b)");
  assert.equal((await s.call('POST', `/v1/models/${m.id}/score`, { key: keyA, body: { rows: [] } })).status, 400);

  // A stream scored by rolling-z, then by the model, then rolled back.
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'xy', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 4 } } })).body;
  const pts = (from: number, rows: number[][]) => rows.map((r, i) => ({ t: T0 + (from + i) * 1000, values: { a: r[0], b: r[1] } }));
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: pts(0, data.rows.slice(0, 20)) } })).status, 202);
  await waitScored(s, keyA, st.id, 20);
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/model`, { key: keyB, body: { version: m.id } })).status, 404);
  const promoted = await s.call('POST', `/v1/streams/${st.id}/model`, { key: keyA, body: { version: m.id } });
  assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
  assert.equal(promoted.body.modelVersion, 2);
  assert.equal(promoted.body.model, m.id);
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: pts(20, [normal, out]) } });
  const after = await waitScored(s, keyA, st.id, 22);
  assert.deepEqual(after.slice(0, 20).map((p) => p.modelVersion), Array(20).fill(1));
  assert.deepEqual(after.slice(20).map((p) => p.modelVersion), [2, 2]);
  // One scoring path: the stream's scores equal the batch scores of the same rows.
  assert.deepEqual(after.slice(20).map((p) => p.score), js.body.scores);
  assert.deepEqual(after.slice(20).map((p) => p.anomaly), [false, true]);

  const back = await s.call('POST', `/v1/streams/${st.id}/rollback`, { key: keyA });
  assert.equal(back.status, 200);
  assert.equal(back.body.modelVersion, 3);
  assert.equal(back.body.detector, 'rolling-z');
  assert.equal(back.body.model, undefined);
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: pts(22, [normal]) } });
  assert.equal((await waitScored(s, keyA, st.id, 23))[22].modelVersion, 3);
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/rollback`, { key: keyA })).status, 409);
});

test('a deep job reports epoch, loss and percent; a running deep job can be cancelled', async () => {
  const d = await uploaded(plantedCsv(200, 11).csv.replace(/,\d\n/g, '\n').replace('a,b,label', 'a,b'));
  const small = { hiddenSizes: [4, 2], dropout: 0, batchNorm: false, batchSize: 32, seed: 1 };
  // The team's event feed carries the job's progress.
  const feed = await fetch(`${s.svc.url}/v1/events`, { headers: { authorization: `Bearer ${keyA}` }, signal: AbortSignal.timeout(120_000) });
  const reader = feed.body!.getReader();
  const j = await trained({ dataset: d.id, detector: 'autoencoder', options: { ...small, epochs: 3 } });
  const events: any[] = [];
  let text = '';
  while (!events.some((e) => e.job.id === j.id && e.job.state === 'succeeded')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
    const blocks = text.split('\n\n');
    text = blocks.pop()!;
    for (const b of blocks) if (b.startsWith('event: job\n')) events.push(JSON.parse(b.slice(b.indexOf('data: ') + 6)));
  }
  await reader.cancel();
  const mine = events.filter((e) => e.job.id === j.id);
  assert.deepEqual([...new Set(mine.map((e) => e.job.state))], ['queued', 'running', 'succeeded']);
  assert.deepEqual(mine.filter((e) => e.job.epoch !== null && e.job.state === 'running').map((e) => e.job.epoch), [1, 2, 3]);
  assert.equal(j.epoch, 3);
  assert.equal(j.epochs, 3);
  assert.ok(Number.isFinite(j.loss) && j.loss > 0);
  const logs = (await s.call('GET', `/v1/jobs/${j.id}/logs`, { key: keyA })).body.logs.map((l: any) => l.message);
  assert.ok(logs.some((m: string) => /^epoch 1\/3 loss/.test(m)), logs.join(' | '));

  const long = (await s.call('POST', '/v1/jobs', { key: keyA, body: { dataset: d.id, detector: 'autoencoder', options: { ...small, epochs: 100_000 } } })).body;
  await until('an epoch of the long job', async () => {
    const x = await job(long.id);
    return x.state === 'running' && x.epoch >= 1;
  });
  assert.equal((await s.call('POST', `/v1/jobs/${long.id}/cancel`, { key: keyB })).status, 404);
  assert.equal((await s.call('POST', `/v1/jobs/${long.id}/cancel`, { key: keyA })).status, 200);
  const c = await finished(long.id);
  assert.equal(c.state, 'cancelled', JSON.stringify(c));
  assert.ok(c.epoch < 100_000);
  assert.equal(c.modelId, null);
  assert.equal((await s.call('POST', `/v1/jobs/${long.id}/cancel`, { key: keyA })).status, 409);
});

test('a job on a stream\'s points; retrain on request: candidate compared in shadow, promoted by the stream\'s rule', async () => {
  const data = plantedCsv(400, 5);
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'retrain-me', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 4 } } })).body;
  const points = data.rows.map((r, i) => ({ t: T0 + i * 60_000, values: { a: r[0], b: r[1] } }));
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points } });
  await waitScored(s, keyA, st.id, points.length);
  const noDetector = await s.call('POST', `/v1/streams/${st.id}/retrain`, { key: keyA, body: {} });
  assert.equal(noDetector.status, 400);
  assert.match(noDetector.body.message, /learns online; give the retrain a detector/);

  const j = await trained({ stream: st.id, detector: 'iforest', options: { seed: 1 } });
  assert.equal(j.source.points, 400);
  const m = (await s.call('GET', `/v1/models/${j.modelId}`, { key: keyA })).body;
  assert.deepEqual(m.columns, ['a', 'b']);
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/model`, { key: keyA, body: { version: m.id } })).status, 200);

  // A rule every comparison meets: the candidate is promoted when its job ends.
  const patched = await s.call('PATCH', `/v1/streams/${st.id}`, { key: keyA, body: { retrain: { autoPromote: { maxAlertsPerDay: 1e9 }, points: 400 } } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.modelVersion, 2, 'a policy change is not a model change');
  const r = await s.call('POST', `/v1/streams/${st.id}/retrain`, { key: keyA, body: {} });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.kind, 'retrain');
  assert.equal(r.body.detector, 'iforest');
  assert.equal(r.body.source.points, 300);
  const rj = await finished(r.body.id);
  assert.equal(rj.state, 'succeeded', JSON.stringify(rj));
  const cand = await until('a candidate', async () => {
    const c = (await s.call('GET', `/v1/streams/${st.id}/candidates`, { key: keyA })).body.candidates;
    return c.length > 0 && c[0].status === 'promoted' && c[0];
  });
  assert.equal(cand.candidateModelId, rj.modelId);
  assert.equal(cand.servedModelVersion, 2);
  assert.equal(cand.comparison.points, 100);
  assert.equal(typeof cand.comparison.served.alertsPerDay, 'number');
  assert.equal(cand.decision.promote, true);
  const now = (await s.call('GET', `/v1/streams/${st.id}`, { key: keyA })).body;
  assert.equal(now.model, rj.modelId);
  assert.equal(now.modelVersion, 3);
  assert.equal((await s.call('GET', `/v1/streams/${st.id}/candidates`, { key: keyB })).status, 404);
  // Roll back goes to the model before the candidate.
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/rollback`, { key: keyA })).body.model, m.id);
});

test('scheduled retraining every N points leaves a pending candidate, promoted by hand', async () => {
  const data = plantedCsv(300, 9);
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'scheduled', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 4 }, retrain: { everyPoints: 200, detector: 'iforest', options: { seed: 2 } } } })).body;
  const policy = (await s.call('GET', `/v1/streams/${st.id}/policy`, { key: keyA })).body;
  assert.equal(policy.retrain.everyPoints, 200);
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: data.rows.map((r, i) => ({ t: T0 + i * 1000, values: { a: r[0], b: r[1] } })) } });
  const cand = await until('a scheduled candidate', async () => (await s.call('GET', `/v1/streams/${st.id}/candidates`, { key: keyA })).body.candidates[0]);
  assert.equal(cand.status, 'pending');
  assert.equal(cand.decision, null);
  const j = await job(cand.jobId);
  assert.equal(j.kind, 'retrain');
  assert.match(j.source.reason, /every 200 points/);
  const p = await s.call('POST', `/v1/streams/${st.id}/candidates/${cand.id}/promote`, { key: keyA });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.model, cand.candidateModelId);
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/candidates/${cand.id}/promote`, { key: keyA })).status, 409);
});

test('retention deletes points older than retentionDays, keeps the rest', async () => {
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'retained', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 4 } } })).body;
  const now = Date.now();
  const old = Array.from({ length: 30 }, (_, i) => ({ t: now - 10 * 86_400_000 + i * 1000, value: Math.sin(i) }));
  const recent = Array.from({ length: 10 }, (_, i) => ({ t: now - 3_600_000 + i * 1000, value: Math.sin(i) }));
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: [...old, ...recent] } });
  await waitScored(s, keyA, st.id, 40);
  assert.equal((await s.call('PATCH', `/v1/streams/${st.id}`, { key: keyA, body: { retentionDays: 100 } })).status, 200);
  assert.equal((await s.call('PATCH', `/v1/streams/${st.id}`, { key: keyA, body: { retentionDays: 1 } })).status, 200);
  const left = await until('the sweep', async () => {
    const pts = (await s.call('GET', `/v1/streams/${st.id}/points?limit=1000`, { key: keyA })).body.points;
    return pts.length < 40 && pts;
  });
  assert.deepEqual(left.map((p: any) => p.t), recent.map((p) => p.t));
  assert.equal((await s.call('PATCH', `/v1/streams/${st.id}`, { key: keyA, body: { retentionDays: 0 } })).status, 400);
});

test('retraining on drift: a watch on the served scores fires after a level shift and starts a retrain', async () => {
  const data = plantedCsv(300, 13);
  const normal = data.rows.filter((_, i) => data.labels[i] === 0);
  const d = await uploaded('a,b\n' + normal.map((r) => r.join(',')).join('\n') + '\n');
  const j = await trained({ dataset: d.id, detector: 'iforest', options: { seed: 4 } });
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'drifting', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 4 } } })).body;
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/model`, { key: keyA, body: { version: j.modelId } })).status, 200);
  const bad = await s.call('PATCH', `/v1/streams/${st.id}`, { key: keyA, body: { retrain: { onDrift: true, driftWatch: { kind: 'page-hinkley', options: { lambda: -1 } } } } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /lambda/);
  const ok = await s.call('PATCH', `/v1/streams/${st.id}`, { key: keyA, body: { retrain: { onDrift: true, driftWatch: { kind: 'page-hinkley', options: { lambda: 2, minInstances: 30 } } } } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const steady = normal.slice(0, 100).map((r, i) => ({ t: T0 + i * 1000, values: { a: r[0], b: r[1] } }));
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: steady } });
  await waitScored(s, keyA, st.id, 100);
  const jobsOf = async () => (await s.call('GET', '/v1/jobs', { key: keyA })).body.jobs.filter((x: any) => x.source.stream === st.id && x.kind === 'retrain');
  const shifted = normal.slice(100, 200).map((r, i) => ({ t: T0 + (100 + i) * 1000, values: { a: r[0] + 12, b: r[1] - 12 } }));
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points: shifted } });
  const started = await until('a retrain on drift', async () => (await jobsOf())[0]);
  assert.match(started.source.reason, /drift/);
  assert.equal(started.detector, 'iforest', "the served model's detector");
});
