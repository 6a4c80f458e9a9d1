import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/random.js';
import { carryToSpec, createStreamScorer, restoreStreamScorer, type ScorerPoint, type ScorerState } from './index.js';

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
