/**
 * Recalibrating a stream served by a fitted model: the model goes on serving under a new fixed
 * threshold, its scores unchanged (the model's own batch scores, on its scale), across a restart
 * too. Only labelled
 * points on the current model's score scale count: those scored by the versions since its
 * promotion (which differ from it only by a threshold); labels given under an earlier detector or
 * model are left out, and with none on the current scale the answer is a 409.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { thresholdFromFeedback } from '../threshold/feedback.js';
import { until } from '../testing/until.js';
import { ADMIN, testServer, waitScored, type TestServer } from './test-server.js';

const T0 = Date.UTC(2026, 10, 1);

/** N(0, I) rows of four channels; every 25th a loud one (d up by 6). */
function rows(n: number, seed: number, from: number): { t: number; values: Record<string, number>; loud: boolean }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    const v = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    if (i % 25 === 12) v[3]! += 6;
    return { t: T0 + i * 60_000, values: { a: v[0]!, b: v[1]!, c: v[2]!, d: v[3]! }, loud: i % 25 === 12 };
  });
}

let s: TestServer;
let key: string;
before(async () => {
  s = await testServer();
  key = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'recal-model' } })).body.key;
});
after(() => s.stop());

const post = async (id: string, ps: ReturnType<typeof rows>) =>
  assert.equal((await s.call('POST', `/v1/streams/${id}/points`, { key, body: { points: ps.map(({ t, values }) => ({ t, values })) } })).status, 202);
const label = async (id: string, t: number, l: 'anomaly' | 'normal') => {
  const r = await s.call('POST', `/v1/streams/${id}/feedback`, { key, body: { t, label: l } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

/** Trains `detector` on the stream's points and promotes the model; the stream after it. */
async function trainAndPromote(st: string, detector: string, options: Record<string, unknown> = {}): Promise<{ model: string; modelVersion: number }> {
  const job = (await s.call('POST', '/v1/jobs', { key, body: { stream: st, detector, options } })).body;
  const done = await until(`job ${job.id}`, async () => {
    const j = (await s.call('GET', `/v1/jobs/${job.id}`, { key })).body;
    return ['succeeded', 'failed', 'cancelled'].includes(j.state) && j;
  }, 120_000);
  assert.equal(done.state, 'succeeded', JSON.stringify(done));
  const p = await s.call('POST', `/v1/streams/${st}/model`, { key, body: { version: done.modelId } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  return { model: done.modelId, modelVersion: p.body.modelVersion };
}

/** The model's batch scores of the rows. */
async function batchScores(model: string, ps: ReturnType<typeof rows>): Promise<number[]> {
  const r = await s.call('POST', `/v1/models/${model}/score`, { key, body: { rows: ps.map((x) => x.values) } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.scores;
}

test('a model-served stream recalibrates: the same model serves with the new threshold; only labels on its score scale count', async () => {
  const st = (await s.call('POST', '/v1/streams', { key, body: { name: 'rows', detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 3 } } })).body.id;
  const first = rows(300, 1, 0);
  await post(st, first);
  const v1 = await waitScored(s, key, st, 300);
  // A label on the rolling-z scale: it must not count once a model serves.
  const loudest = v1.reduce((a, b) => (b.score > a.score ? b : a));
  await label(st, loudest.t, 'normal');

  const A = await trainAndPromote(st, 'iforest', { seed: 1 });
  const second = rows(200, 2, 300);
  await post(st, second);
  const underA = (await waitScored(s, key, st, 500)).slice(300);
  assert.ok(underA.every((p) => p.modelVersion === A.modelVersion));
  assert.deepEqual(underA.map((p) => p.score), await batchScores(A.model, second), "the model's own scores");
  const cutoff = underA[0].threshold;
  const falseAlarms = underA.filter((p, i) => p.anomaly && !second[i]!.loud);
  const loud = underA.filter((_, i) => second[i]!.loud);
  assert.ok(falseAlarms.length >= 2, `false alarms to correct (${falseAlarms.length})`);
  for (const p of falseAlarms) await label(st, p.t, 'normal');
  for (const p of loud) await label(st, p.t, 'anomaly');

  const rc = await s.call('POST', `/v1/streams/${st}/recalibrate`, { key });
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.equal(rc.body.previous, cutoff, "it starts from the model's cutoff");
  assert.equal(rc.body.labelled, falseAlarms.length + loud.length, 'the rolling-z label is left out');
  const expected = thresholdFromFeedback([...falseAlarms.map((p) => ({ score: p.score, label: 'normal' as const })), ...loud.map((p) => ({ score: p.score, label: 'anomaly' as const }))], cutoff);
  assert.deepEqual([rc.body.threshold, rc.body.changed], [expected.threshold, true]);
  assert.equal(rc.body.modelVersion, A.modelVersion + 1);
  const view = (await s.call('GET', `/v1/streams/${st}`, { key })).body;
  assert.deepEqual([view.model, view.threshold, view.modelVersion], [A.model, { kind: 'value', value: rc.body.threshold }, A.modelVersion + 1], 'the same model serves, with a fixed threshold');

  // A restart before any point reaches the new version: the checkpoint goes on under it.
  const dir = s.dir;
  await s.svc.close();
  s = await testServer({}, dir);
  const third = rows(100, 3, 500);
  await post(st, third);
  const recalibrated = (await waitScored(s, key, st, 600)).slice(500);
  assert.deepEqual(recalibrated.map((p) => p.score), await batchScores(A.model, third), "still the model's own scores, on its scale");
  for (const p of recalibrated) {
    assert.equal(p.modelVersion, A.modelVersion + 1);
    assert.equal(p.threshold, rc.body.threshold, 'judged by the new threshold');
    assert.equal(p.anomaly, p.score > rc.body.threshold);
  }

  // Recalibration on feedback: the points before the threshold change share the scale and still count.
  const rule = await s.call('POST', `/v1/streams/${st}/rules`, { key, body: { recalibrateOnFeedback: true } });
  assert.equal(rule.status, 201, JSON.stringify(rule.body));
  const quiet = recalibrated.find((p, i) => !third[i]!.loud && !p.anomaly);
  const auto = await label(st, quiet.t, 'normal');
  assert.ok(auto.recalibration, 'feedback recalibrated the stream');
  assert.deepEqual([auto.recalibration.labelled, auto.recalibration.previous, auto.recalibration.changed], [rc.body.labelled + 1, rc.body.threshold, false]);

  // A model of another kind: another score scale, so none of the labels so far count for it.
  const B = await trainAndPromote(st, 'ecod');
  const refused = await s.call('POST', `/v1/streams/${st}/recalibrate`, { key });
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.message, /no labelled points scored on its current score scale/);
  assert.match(refused.body.message, new RegExp(`${rc.body.labelled + 2} labelled points were scored by an earlier detector or model`));
  const risk = await s.call('PATCH', `/v1/streams/${st}`, { key, body: { threshold: { kind: 'risk', q: 1e-3 } } });
  assert.equal(risk.status, 400, 'a model takes a fixed value in place of its cutoff, not another kind of threshold');
  assert.match(risk.body.message, /only a fixed value/);
  assert.equal((await s.call('GET', `/v1/streams/${st}`, { key })).body.modelVersion, B.modelVersion, 'neither changed the stream');

  const fourth = rows(200, 4, 600);
  await post(st, fourth);
  const underB = (await waitScored(s, key, st, 800)).slice(600);
  assert.deepEqual(underB.map((p) => p.score), await batchScores(B.model, fourth));
  const bNormals = underB.filter((p, i) => p.anomaly && !fourth[i]!.loud);
  const bLoud = underB.filter((_, i) => fourth[i]!.loud);
  assert.ok(bNormals.length >= 1, 'a false alarm under B');
  await s.call('PATCH', `/v1/rules/${rule.body.id}`, { key, body: { recalibrateOnFeedback: false } });
  for (const p of bNormals) await label(st, p.t, 'normal');
  for (const p of bLoud) await label(st, p.t, 'anomaly');
  const rcB = await s.call('POST', `/v1/streams/${st}/recalibrate`, { key });
  assert.equal(rcB.status, 200, JSON.stringify(rcB.body));
  assert.equal(rcB.body.labelled, bNormals.length + bLoud.length, "only the labels on B's scale");
  const expectedB = thresholdFromFeedback([...bNormals.map((p) => ({ score: p.score, label: 'normal' as const })), ...bLoud.map((p) => ({ score: p.score, label: 'anomaly' as const }))], underB[0].threshold);
  assert.equal(rcB.body.threshold, expectedB.threshold, "the threshold comes from B's scores alone");
});

test('a stream served by a series model keeps its state under the new threshold: the same scores as its twin, no new context', async () => {
  const wave = (from: number, n: number) => {
    const rng = new Rng(from + 7);
    return Array.from({ length: n }, (_, j) => {
      const i = from + j;
      return { t: T0 + i * 60_000, values: { value: Math.sin(i / 10) + 0.3 * rng.normal() + (i % 97 === 50 ? 4 : 0) }, loud: false };
    });
  };
  const make = async (name: string) => (await s.call('POST', '/v1/streams', { key, body: { name, detector: 'rolling-z', warmup: 5, threshold: { kind: 'value', value: 3 } } })).body.id as string;
  const a = await make('series-recalibrated');
  const b = await make('series-twin');
  const first = wave(0, 400);
  await post(a, first);
  await post(b, first);
  await waitScored(s, key, a, 400);
  const M = await trainAndPromote(a, 'rolling-z', { window: 30 });
  assert.equal((await s.call('POST', `/v1/streams/${b}/model`, { key, body: { version: M.model } })).status, 200);
  const second = wave(400, 150);
  await post(a, second);
  await post(b, second);
  const underM = (await waitScored(s, key, a, 550)).slice(400);
  const cutoff = underM.at(-1).threshold;
  assert.ok(Number.isFinite(cutoff), 'judged by the model once its context is there');
  const loudest = underM.reduce((x, y) => (y.score > x.score ? y : x));
  assert.ok(loudest.score < cutoff, 'the spikes score below the cutoff');
  await label(a, loudest.t, 'anomaly');
  const rc = await s.call('POST', `/v1/streams/${a}/recalibrate`, { key });
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.deepEqual([rc.body.changed, rc.body.previous, rc.body.labelled], [true, cutoff, 1]);
  assert.ok(rc.body.threshold < loudest.score && rc.body.threshold > loudest.score - 1e-9, 'the threshold moves just below the confirmed anomaly');

  const third = wave(550, 100);
  await post(a, third);
  await post(b, third);
  const pa = (await waitScored(s, key, a, 650)).slice(550);
  const pb = (await waitScored(s, key, b, 650)).slice(550);
  for (let i = 0; i < pa.length; i++) {
    assert.equal(pa[i].score, pb[i].score, `point ${550 + i}: the model's state went on (no new context)`);
    assert.deepEqual([pa[i].threshold, pb[i].threshold, pa[i].anomaly], [rc.body.threshold, pb[i].threshold, pa[i].score > rc.body.threshold]);
    assert.notEqual(pb[i].threshold, rc.body.threshold);
  }
});
