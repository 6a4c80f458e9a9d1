/**
 * Retraining from feedback where the data are rows: a stream served by an unsupervised model
 * (iforest) flags loud rows people say are normal and ranks a quieter kind of anomaly low; people
 * confirm a few of those; a devnet retrain learns from the stream's labels, its candidate is
 * compared in shadow and promoted by hand, and it ranks the confirmed kind higher than the served
 * model did. Seeded synthetic rows; waits poll with generous bounds.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { rocAuc } from '../evaluate/metrics.js';
import { ADMIN, testServer, waitScored, type TestServer } from './test-server.js';
import { until } from '../testing/until.js';

const T0 = Date.UTC(2026, 10, 1);
type Kind = 'normal' | 'confirmed' | 'loud';

/** N(0, I) rows of four channels; every 25th a "confirmed" kind (channel a up by 3), every 25th from 12 a "loud" one (d up by 6) people call normal. */
function rows(n: number, seed: number, from = 0): { t: number; values: Record<string, number>; kind: Kind }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    const kind: Kind = i % 25 === 0 ? 'confirmed' : i % 25 === 12 ? 'loud' : 'normal';
    const v = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    if (kind === 'confirmed') v[0]! += 3;
    if (kind === 'loud') v[3]! += 6;
    return { t: T0 + i * 60_000, values: { a: v[0]!, b: v[1]!, c: v[2]!, d: v[3]! }, kind };
  });
}

let s: TestServer;
let key: string;
before(async () => {
  s = await testServer();
  key = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'devnet' } })).body.key;
});
after(() => s.stop());

const finished = (id: string) => until(`job ${id}`, async () => {
  const j = (await s.call('GET', `/v1/jobs/${id}`, { key })).body;
  return ['succeeded', 'failed', 'cancelled'].includes(j.state) && j;
}, 120_000);
const post = async (id: string, ps: { t: number; values: Record<string, number> }[]) =>
  assert.equal((await s.call('POST', `/v1/streams/${id}/points`, { key, body: { points: ps.map(({ t, values }) => ({ t, values })) } })).status, 202);

/** ROC-AUC of the confirmed kind against every other row, by a model's batch scores. */
async function aucOfConfirmed(model: string, test: ReturnType<typeof rows>): Promise<number> {
  const r = await s.call('POST', `/v1/models/${model}/score`, { key, body: { rows: test.map((x) => x.values) } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return rocAuc(Uint8Array.from(test, (x) => (x.kind === 'confirmed' ? 1 : 0)), Float64Array.from(r.body.scores as number[]));
}

test('a devnet retrain learns from the confirmed anomalies and normals; its candidate ranks the confirmed kind above what the unsupervised model did', async (t) => {
  const st = (await s.call('POST', '/v1/streams', { key, body: { name: 'rows', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 1e9 } } })).body.id;
  const first = rows(600, 1);
  await post(st, first);
  await waitScored(s, key, st, 600);
  const job = (await s.call('POST', '/v1/jobs', { key, body: { stream: st, detector: 'iforest', options: { seed: 1 } } })).body;
  const iforest = await finished(job.id);
  assert.equal(iforest.state, 'succeeded', JSON.stringify(iforest));
  assert.equal((await s.call('POST', `/v1/streams/${st}/model`, { key, body: { version: iforest.modelId } })).status, 200);
  const second = rows(600, 2, 600);
  await post(st, second);
  await waitScored(s, key, st, 1200);

  const devnet = { detector: 'devnet', options: { epochs: 5, stepsPerEpoch: 10, batchSize: 64, learningRate: 0.01, seed: 1 }, points: 600 };
  const refused = await s.call('POST', `/v1/streams/${st}/retrain`, { key, body: devnet });
  assert.equal(refused.status, 400, 'no confirmed anomaly yet');
  assert.match(refused.body.message, /learns from confirmed anomalies/);

  // The retrain reads the newest 600 points: the older 450 to train on, the newest 150 to compare on.
  const trainPart = second.slice(0, 450);
  const confirmed = trainPart.filter((x) => x.kind === 'confirmed').slice(0, 6);
  const loud = trainPart.filter((x) => x.kind === 'loud');
  for (const x of confirmed) assert.equal((await s.call('POST', `/v1/streams/${st}/feedback`, { key, body: { t: x.t, label: 'anomaly' } })).status, 201);
  for (const x of loud) assert.equal((await s.call('POST', `/v1/streams/${st}/feedback`, { key, body: { t: x.t, label: 'normal' } })).status, 201);
  for (const x of second.slice(450).filter((x) => x.kind !== 'normal')) {
    await s.call('POST', `/v1/streams/${st}/feedback`, { key, body: { t: x.t, label: x.kind === 'confirmed' ? 'anomaly' : 'normal' } });
  }

  const r = await s.call('POST', `/v1/streams/${st}/retrain`, { key, body: devnet });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const done = await finished(r.body.id);
  assert.equal(done.state, 'succeeded', JSON.stringify(done));
  const model = (await s.call('GET', `/v1/models/${done.modelId}`, { key })).body;
  assert.deepEqual([model.detector, model.columns, model.label], ['devnet', ['a', 'b', 'c', 'd'], 'label']);
  const cand = await until('the shadow comparison', async () => (await s.call('GET', `/v1/streams/${st}/candidates`, { key })).body.candidates[0], 120_000);
  assert.deepEqual([cand.candidateModelId, cand.status, cand.comparison.points], [done.modelId, 'pending', 150]);
  assert.equal(cand.comparison.labelled, second.slice(450).filter((x) => x.kind !== 'normal').length);

  const test = rows(1000, 99, 5000);
  const served = await aucOfConfirmed(iforest.modelId, test);
  const learned = await aucOfConfirmed(done.modelId, test);
  t.diagnostic(`ROC-AUC of the confirmed kind on 1000 fresh rows: iforest (served) ${served.toFixed(3)}, devnet with feedback ${learned.toFixed(3)}; shadow recall ${cand.comparison.served.recall} -> ${cand.comparison.candidate.recall}`);
  assert.ok(cand.comparison.candidate.recall >= cand.comparison.served.recall, 'the candidate finds at least as many of the labelled anomalies held out');
  assert.ok(learned > served + 0.03 && learned > 0.95, `ROC-AUC of the confirmed kind: devnet with feedback ${learned.toFixed(3)}, iforest ${served.toFixed(3)}`);

  // Promotion is manual without a rule: promoted by hand, the stream is scored by it.
  const promoted = await s.call('POST', `/v1/streams/${st}/candidates/${cand.id}/promote`, { key });
  assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
  assert.equal(promoted.body.model, done.modelId);
});
