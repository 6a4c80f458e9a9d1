import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../core/errors.js';
import { thresholdFromFeedback, type LabelledScore } from './feedback.js';

const n = (score: number): LabelledScore => ({ score, label: 'normal' });
const a = (score: number): LabelledScore => ({ score, label: 'anomaly' });
const flags = (t: number, ls: LabelledScore[]): boolean[] => ls.map((l) => l.score > t);

test('separable labels that the threshold already satisfies leave it where it is', () => {
  const r = thresholdFromFeedback([n(1), n(2), a(5), a(6)], 3);
  assert.equal(r.threshold, 3);
  assert.equal(r.changed, false);
  assert.equal(r.separable, true);
  assert.deepEqual(r.normals, { total: 2, below: 2 });
  assert.deepEqual(r.anomalies, { total: 2, above: 2 });
  assert.equal(r.cost, 0);
});

test('a confirmed normal above the threshold raises it just to that normal (score > t flags, so it is no longer flagged)', () => {
  const ls = [n(1), n(4.2), a(5), a(6)];
  const r = thresholdFromFeedback(ls, 3);
  assert.equal(r.threshold, 4.2);
  assert.deepEqual(flags(r.threshold, ls), [false, false, true, true]);
  assert.equal(r.separable, true);
  assert.equal(r.cost, 0);
});

test('a confirmed anomaly below the threshold lowers it to just under that anomaly', () => {
  const ls = [n(1), a(2.5), a(6)];
  const r = thresholdFromFeedback(ls, 3);
  assert.ok(r.threshold < 2.5 && r.threshold > 2.4999999, `${r.threshold}`);
  assert.deepEqual(flags(r.threshold, ls), [false, true, true]);
  assert.deepEqual(r.anomalies, { total: 2, above: 2 });
  // Only anomalies, only normals: one side is enough to move it.
  assert.ok(thresholdFromFeedback([a(0)], 1).threshold < 0);
  assert.equal(thresholdFromFeedback([n(7)], 1).threshold, 7);
});

test('non-separable labels: the threshold with the fewest weighted errors, the closest to the current one', () => {
  // Normals 1, 2, 6; anomalies 3, 4, 5. Thresholds in [2, 3) miss nothing and flag the normal 6 (1 error);
  // [5, 6) flags nothing wrongly and misses 3, 4, 5 (3 errors); [6, inf) misses all three anomalies.
  const ls = [n(1), n(2), a(3), a(4), a(5), n(6)];
  const r = thresholdFromFeedback(ls, 10);
  assert.equal(r.separable, false);
  assert.equal(r.cost, 1);
  assert.ok(r.threshold >= 2 && r.threshold < 3, `${r.threshold}`);
  // The closest point of [2, 3) to 10 is just below 3.
  assert.ok(r.threshold > 2.999999, `${r.threshold}`);
  assert.deepEqual(r.normals, { total: 3, below: 2 });
  assert.deepEqual(r.anomalies, { total: 3, above: 3 });
  // From below, the same interval is reached at its low end.
  assert.equal(thresholdFromFeedback(ls, 0).threshold, 2);
  // Flagging a normal made four times as costly as missing an anomaly moves it above the normal 6: 3 misses cost 3 < 4.
  const w = thresholdFromFeedback(ls, 0, { normalWeight: 4 });
  assert.equal(w.threshold, 6);
  assert.equal(w.cost, 3);
});

test('a normal and an anomaly at the same score cannot both be satisfied; ties go to the closer threshold', () => {
  const ls = [n(3), a(3)];
  const up = thresholdFromFeedback(ls, 5);
  const down = thresholdFromFeedback(ls, 1);
  assert.equal(up.cost, 1);
  assert.equal(down.cost, 1);
  assert.equal(up.threshold, 5);
  assert.equal(down.threshold, 1);
});

test('no labels leave the threshold; bad input is refused', () => {
  assert.equal(thresholdFromFeedback([], 2.5).threshold, 2.5);
  assert.throws(() => thresholdFromFeedback([n(NaN)], 1), DataError);
  assert.throws(() => thresholdFromFeedback([{ score: 1, label: 'maybe' as never }], 1), DataError);
  assert.throws(() => thresholdFromFeedback([n(1)], NaN), OptionsError);
  assert.throws(() => thresholdFromFeedback([n(1)], 1, { anomalyWeight: 0 }), OptionsError);
});

test('whatever the labels, no other threshold has fewer weighted errors', () => {
  // Brute force over a grid on small seeded cases.
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let c = 0; c < 50; c++) {
    const ls = Array.from({ length: 8 }, () => ({ score: Math.round(rand() * 10), label: rand() < 0.5 ? ('normal' as const) : ('anomaly' as const) }));
    const r = thresholdFromFeedback(ls, Math.round(rand() * 10));
    const cost = (t: number): number => ls.reduce((s, l) => s + (l.label === 'normal' ? (l.score > t ? 1 : 0) : l.score > t ? 0 : 1), 0);
    assert.equal(cost(r.threshold), r.cost);
    for (let t = -1; t <= 11; t += 0.5) assert.ok(cost(t) >= r.cost, `case ${c}: t=${t} costs ${cost(t)} < ${r.cost}`);
  }
});
