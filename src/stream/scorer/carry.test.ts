import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/random.js';
import { frameFromObjects } from '../../data/index.js';
import { Model } from '../../model/model.js';
import { SeriesModel } from '../../model/series-model.js';
import { carryToSpec, createStreamScorer, restoreStreamScorer, sameScoresApartFromThreshold, type FittedModelLike, type ScorerPoint, type ScorerSpecInput, type ScorerState } from './index.js';

function points(from: number, n: number, keys = ['h1', 'h2']): ScorerPoint[] {
  const rng = new Rng(3);
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return { t: 1_764_583_200_000 + i * 1000, key: keys[i % keys.length]!, values: { value: Math.sin(i / 20) + 0.3 * rng.normal() + (i % 333 === 100 ? 9 : 0) } };
  });
}

test('a checkpoint carried to a fixed threshold scores on exactly as before, judged by the new value', async () => {
  const spec = { detector: 'rolling-mad', options: { window: 60 }, threshold: { kind: 'risk', q: 1e-3 }, warmup: 600 };
  const a = createStreamScorer(spec);
  await a.pushMany(points(0, 1400));
  const state = JSON.parse(JSON.stringify(a.toJSON())) as ScorerState;
  const carried = carryToSpec(state, { ...spec, threshold: { kind: 'value', value: 3 } });
  assert.ok(carried);
  const b = restoreStreamScorer(carried);
  const later = points(1400, 400);
  const ra = await a.pushMany(later);
  const rb = await b.pushMany(later);
  for (let i = 0; i < later.length; i++) {
    assert.equal(rb[i]!.score, ra[i]!.score, `point ${i}: same detector state`);
    assert.deepEqual([rb[i]!.threshold, rb[i]!.anomaly, rb[i]!.warmingUp], [3, rb[i]!.score > 3, false]);
  }
  assert.ok(ra.some((r) => r.threshold !== 3), 'the original still judges by SPOT');
});

test('anything but a fixed threshold is not carried: another detector, options, warm-up, a risk threshold', () => {
  const spec = { detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 2 } };
  const s = createStreamScorer(spec);
  const state = s.toJSON();
  assert.ok(carryToSpec(state, { ...spec, threshold: { kind: 'value', value: 5 } }));
  assert.equal(carryToSpec(state, { ...spec, detector: 'rolling-mad' }), null);
  assert.equal(carryToSpec(state, { ...spec, options: { window: 10 } }), null);
  assert.equal(carryToSpec(state, { ...spec, warmup: 31 }), null);
  assert.equal(carryToSpec(state, { ...spec, threshold: { kind: 'risk', q: 1e-3 } }), null);
  assert.equal(carryToSpec(state, { ...spec, bogus: 1 }), null);
});

test('a series detector learning online keeps its fitted model under a new fixed threshold', async () => {
  const spec = { detector: 'seasonal', options: { period: 1 }, warmup: 200, threshold: { kind: 'risk', q: 1e-3 }, buffer: 300 };
  const a = createStreamScorer(spec);
  await a.pushMany(points(0, 400, ['']));
  await a.settle();
  const carried = carryToSpec(JSON.parse(JSON.stringify(a.toJSON())) as ScorerState, { ...spec, threshold: { kind: 'value', value: 2.5 } });
  assert.ok(carried);
  const b = restoreStreamScorer(carried);
  const later = points(400, 100, ['']);
  const ra = await a.pushMany(later);
  const rb = await b.pushMany(later);
  for (let i = 0; i < later.length; i++) {
    assert.equal(rb[i]!.score, ra[i]!.score, `point ${i}: the same fitted model`);
    assert.deepEqual([rb[i]!.threshold, rb[i]!.anomaly, rb[i]!.generation], [2.5, rb[i]!.score > 2.5, ra[i]!.generation]);
  }
});

/** Scores `later` on a scorer of `spec` after `first`, and on its state carried to a fixed `value`: same scores, the carried one judged by `value`. */
async function assertCarried(spec: ScorerSpecInput, model: FittedModelLike, first: ScorerPoint[], later: ScorerPoint[], value: number): Promise<void> {
  const a = createStreamScorer(spec, model);
  await a.pushMany(first);
  await a.settle();
  const carried = carryToSpec(JSON.parse(JSON.stringify(a.toJSON())) as ScorerState, { ...spec, threshold: { kind: 'value', value } });
  assert.ok(carried);
  const b = restoreStreamScorer(carried, model);
  const ra = await a.pushMany(later);
  const rb = await b.pushMany(later);
  for (let i = 0; i < later.length; i++) {
    assert.equal(rb[i]!.score, ra[i]!.score, `point ${i}: the same model, its state carried`);
    assert.deepEqual([rb[i]!.threshold, rb[i]!.anomaly, rb[i]!.warmingUp], [value, rb[i]!.score > value, ra[i]!.warmingUp]);
  }
  assert.ok(ra.some((r) => r.threshold !== value), "the original judges by the model's cutoff");
  assert.ok(rb.some((r) => r.anomaly !== (r.score > ra[0]!.threshold!)), 'the new value flags other points than the cutoff');
}

test("a model (tabular or series) keeps serving under a new fixed threshold: its own scores, its state carried; another model's spec is not carried to", async () => {
  const rng = new Rng(5);
  const rows = Array.from({ length: 300 }, () => ({ a: rng.normal(), b: rng.normal() }));
  const tabular = await Model.fit(frameFromObjects(rows), { detector: 'zscore' });
  const tps = (from: number, n: number): ScorerPoint[] => Array.from({ length: n }, (_, j) => ({ t: from + j, values: { a: 2 * rng.normal(), b: rng.normal() } }));
  const tspec = { detector: 'zscore', model: 'mv_tab', drift: { kind: 'adwin' as const } };
  await assertCarried(tspec, tabular, tps(0, 50), tps(50, 200), tabular.cutoff / 2);

  const table = { header: ['t', 'v'], rows: Array.from({ length: 400 }, (_, i) => [String(i), String(rng.normal())]) };
  const series = await SeriesModel.fit(table, { detector: 'rolling-z', options: { window: 30 }, timestamp: 't' });
  const sps = (from: number, n: number): ScorerPoint[] => points(from, n, ['']).map((p) => ({ t: p.t, values: { v: p.values['value']! } }));
  await assertCarried({ detector: 'rolling-z', model: 'mv_series' }, series, sps(0, 100), sps(100, 300), series.entries[0]!.cutoff / 2);

  const state = createStreamScorer(tspec, tabular).toJSON();
  assert.equal(carryToSpec(state, { ...tspec, model: 'mv_other', threshold: { kind: 'value', value: 1 } }), null, 'another model');
  assert.ok(sameScoresApartFromThreshold(tspec, { ...tspec, threshold: { kind: 'value', value: 1 } }));
  assert.ok(!sameScoresApartFromThreshold(tspec, { ...tspec, model: 'mv_other' }));
});
