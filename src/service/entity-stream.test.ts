/**
 * A training job with per-entity features on a dataset, and a stream promoted to its model: the
 * stream's points get the entity features, continuing from the model's state (real server,
 * random loopback port, temporary files).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, testServer, waitScored, type TestServer } from './test-server.js';
import { Model } from '../model/model.js';
import { frameFromObjects } from '../data/objects.js';

let s: TestServer;
let key: string;

before(async () => {
  s = await testServer({ datasetLimit: 100_000 });
  key = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } })).body.key;
});
after(() => s.stop());

/** Card payments with numeric card ids (stream points carry numbers), ts in seconds. */
function payments(from: number, n: number): { card: number; ts: number; amount: number }[] {
  return Array.from({ length: n }, (_, i) => ({ card: (from + i) % 7, ts: 1_767_225_600 + (from + i) * 400, amount: 10 + ((from + i) % 5) * 3 + ((from + i) % 7) }));
}

test('a job with entity features; a stream scored by its model gets them from the model state on', async () => {
  const train = payments(0, 300);
  const csv = 'card,ts,amount\n' + train.map((r) => `${r.card},${r.ts},${r.amount}`).join('\n') + '\n';
  const d = (await s.call('POST', '/v1/datasets?name=pay', { key, raw: csv, type: 'text/csv' })).body;
  const spec = { keys: ['card'], time: 'ts', windows: ['1h', '24h'] };
  const bad = await s.call('POST', '/v1/jobs', { key, body: { dataset: d.id, detector: 'iforest', entity: { ...spec, keys: ['nope'] } } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /no column 'nope'/);
  const j = await s.call('POST', '/v1/jobs', { key, body: { dataset: d.id, detector: 'iforest', options: { seed: 2 }, entity: spec } });
  assert.equal(j.status, 202, JSON.stringify(j.body));
  let job: any;
  for (let i = 0; i < 1200 && !['succeeded', 'failed'].includes(job?.state); i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = (await s.call('GET', `/v1/jobs/${j.body.id}`, { key })).body;
  }
  assert.equal(job.state, 'succeeded', JSON.stringify(job));
  const file = await fetch(`${s.svc.url}/v1/models/${job.modelId}/file`, { headers: { authorization: `Bearer ${key}` } });
  const model = Model.fromBytes(new Uint8Array(await file.arrayBuffer()));
  assert.ok(model.preprocessor.featureNames.includes('card.1h.count'));

  const st = (await s.call('POST', '/v1/streams', { key, body: { name: 'pay', detector: 'rolling-z' } })).body;
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/model`, { key, body: { version: job.modelId } })).status, 200);
  const next = payments(300, 40);
  // The time column is the point's t; the key column is one of its values.
  const points = next.map((r) => ({ t: r.ts * 1000, values: { card: r.card, amount: r.amount } }));
  assert.equal((await s.call('POST', `/v1/streams/${st.id}/points`, { key, body: { points } })).status, 202);
  const scored = await waitScored(s, key, st.id, next.length);
  const want = await model.score(frameFromObjects(next));
  assert.deepEqual(scored.map((p) => p.score), [...want]);
});
