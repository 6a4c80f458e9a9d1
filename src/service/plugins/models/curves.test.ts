/** GET /v1/models/{id}/curves, the shadow comparison's score tracks, and GET /v1/detectors' JSON Schemas, through a real server. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { seriesDetectors } from '../../../detectors/series/index.js';
import { listDetectors } from '../../../detectors/registry.js';
import { STREAM_DETECTORS } from '../../../stream/registry.js';
import { plantedOutliers } from '../../../testing/synthetic.js';
import { ADMIN, testServer, waitScored, type TestServer } from '../../test-server.js';
import { until } from '../../../testing/until.js';

let s: TestServer;
let keyA: string;
let keyB: string;

function csv(withLabel: boolean): string {
  const { X, labels } = plantedOutliers({ rows: 200, cols: 2, outliers: 10, seed: 5 });
  const rows = Array.from({ length: X.rows }, (_, i) => `${X.data[i * 2]},${X.data[i * 2 + 1]}${withLabel ? `,${labels[i]}` : ''}`);
  return `${withLabel ? 'a,b,label' : 'a,b'}\n${rows.join('\n')}\n`;
}


async function trainedModel(body: Record<string, unknown>): Promise<string> {
  const r = await s.call('POST', '/v1/jobs', { key: keyA, body });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const j = await until('the job', async () => {
    const x = (await s.call('GET', `/v1/jobs/${r.body.id}`, { key: keyA })).body;
    return ['succeeded', 'failed', 'cancelled'].includes(x.state) && x;
  }, 120_000);
  assert.equal(j.state, 'succeeded', JSON.stringify(j));
  return j.modelId;
}

before(async () => {
  s = await testServer({ datasetLimit: 100_000 });
  keyA = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } })).body.key;
  keyB = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'b' } })).body.key;
});
after(() => s.stop());

test('a labelled model has ROC and PR curves and a histogram; an unlabelled one a histogram only; another team gets 404', async () => {
  const labelled = (await s.call('POST', '/v1/datasets?name=l', { key: keyA, raw: csv(true), type: 'text/csv' })).body;
  const plain = (await s.call('POST', '/v1/datasets?name=p', { key: keyA, raw: csv(false), type: 'text/csv' })).body;
  const withLabels = await trainedModel({ dataset: labelled.id, detector: 'iforest', options: { nEstimators: 30 }, label: 'label' });
  const c = (await s.call('GET', `/v1/models/${withLabels}/curves`, { key: keyA })).body;
  assert.equal(c.model, withLabels);
  assert.equal(c.labelled, true);
  assert.deepEqual([c.roc.fpr[0], c.roc.tpr[0], c.roc.fpr.at(-1), c.roc.tpr.at(-1)], [0, 0, 1, 1]);
  assert.equal(c.pr.recall.length, c.pr.precision.length);
  assert.equal(c.pr.recall.at(-1), 1);
  assert.equal(c.histogram.counts.reduce((a: number, b: number) => a + b, 0), 200);
  assert.equal(c.histogram.edges.length, c.histogram.counts.length + 1);
  // The model view stays small: its curves are only here.
  const view = (await s.call('GET', `/v1/models/${withLabels}`, { key: keyA })).body;
  assert.equal(view.metrics.curves, undefined);
  assert.equal(typeof view.metrics.rocAuc, 'number');
  assert.ok((await s.call('GET', '/v1/models', { key: keyA })).body.models.every((m: any) => m.metrics.curves === undefined));

  const unlabelled = await trainedModel({ dataset: plain.id, detector: 'ecod' });
  const u = (await s.call('GET', `/v1/models/${unlabelled}/curves`, { key: keyA })).body;
  assert.deepEqual([u.labelled, u.roc, u.pr], [false, null, null]);
  assert.equal(u.histogram.counts.reduce((a: number, b: number) => a + b, 0), 200);

  const other = await s.call('GET', `/v1/models/${withLabels}/curves`, { key: keyB });
  assert.equal(other.status, 404);
  assert.match(other.body.message, /model/);
  assert.equal((await s.call('GET', '/v1/models/mv_nope/curves', { key: keyA })).status, 404);
  assert.equal((await s.call('GET', `/v1/models/${withLabels}/curves`)).status, 401);
});

test("a retrain's shadow comparison keeps both score tracks, aligned in time", async () => {
  const st = (await s.call('POST', '/v1/streams', { key: keyA, body: { name: 'tracks', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 4 } } })).body;
  const { X } = plantedOutliers({ rows: 120, cols: 2, outliers: 4, seed: 9 });
  const points = Array.from({ length: X.rows }, (_, i) => ({ t: 1_700_000_000_000 + i * 60_000, values: { a: X.data[i * 2]!, b: X.data[i * 2 + 1]! } }));
  await s.call('POST', `/v1/streams/${st.id}/points`, { key: keyA, body: { points } });
  await waitScored(s, keyA, st.id, points.length);
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/retrain`, { key: keyA, body: { detector: 'iforest', options: { nEstimators: 20 } } })).status, 202);
  const cand = await until('a candidate', async () => (await s.call('GET', `/v1/streams/${st.id}/candidates`, { key: keyA })).body.candidates[0], 120_000);
  const tr = cand.comparison.tracks;
  assert.equal(tr.t.length, cand.comparison.points, 'a short window is kept whole');
  assert.equal(tr.served.length, tr.t.length);
  assert.equal(tr.candidate.length, tr.t.length);
  assert.deepEqual(tr.t, [...tr.t].sort((a: number, b: number) => a - b));
  assert.equal(tr.t.at(-1), points.at(-1)!.t);
});

test('GET /v1/detectors gives every detector with its options as JSON Schema: types, bounds, defaults, descriptions', async () => {
  const r = await s.call('GET', '/v1/detectors', { key: keyA });
  assert.equal(r.status, 200);
  const names = r.body.detectors.map((d: any) => d.name);
  const onlySeries = seriesDetectors.map((d) => d.name).filter((n) => !(STREAM_DETECTORS as readonly string[]).includes(n));
  assert.deepEqual(names, [...STREAM_DETECTORS, ...onlySeries]);
  const z = r.body.detectors.find((d: any) => d.name === 'rolling-z');
  assert.equal(z.kind, 'stream');
  assert.deepEqual(z.schema.properties.window, { type: 'integer', minimum: 2, default: 100, description: 'Points the mean and standard deviation cover; also the warm-up.' });
  assert.equal(z.schema.type, 'object');
  assert.equal(z.schema.additionalProperties, false);
  for (const d of r.body.detectors) assert.deepEqual(Object.keys(d.schema.properties ?? {}), d.options, d.name);

  const t = await s.call('GET', '/v1/detectors?for=train', { key: keyA });
  assert.deepEqual(t.body.detectors.map((d: any) => d.name), [...seriesDetectors.map((d) => d.name), ...listDetectors().map((d) => d.name)]);
  const ae = t.body.detectors.find((d: any) => d.name === 'autoencoder');
  assert.equal(ae.kind, 'tabular');
  assert.deepEqual(ae.schema.properties.epochs, { type: 'integer', exclusiveMinimum: 0, maximum: 100_000, default: 10, description: 'Passes over the training data.' });
  assert.deepEqual(ae.schema.properties.activation.default, 'relu');
  assert.ok(Array.isArray(ae.schema.properties.activation.enum));
  // Each published default is one the detector's own schema gives.
  for (const d of listDetectors()) {
    const published = t.body.detectors.find((x: any) => x.name === d.name && x.kind === 'tabular');
    const shape = d.schema.shape as Record<string, { parse(v: unknown): unknown }>;
    for (const [k, p] of Object.entries(published.schema.properties as Record<string, { default?: unknown }>)) if ('default' in p) assert.deepEqual(p.default, shape[k]!.parse(undefined), `${d.name}.${k}`);
  }

  const bad = await s.call('GET', '/v1/detectors?for=everything', { key: keyA });
  assert.equal(bad.status, 400);
  assert.equal(typeof bad.body.message, 'string');
  assert.equal((await s.call('GET', '/v1/detectors')).status, 401);
  assert.equal((await s.call('GET', '/v1/detectors', { key: ADMIN })).status, 200);
});
