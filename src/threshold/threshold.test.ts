import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyThreshold, autoCutoff, fitThreshold, thresholdSpecSchema } from './index.js';

const scores = Float64Array.from({ length: 100 }, (_, i) => i + 1);

test('contamination flags the top share of training scores', () => {
  const t = fitThreshold({ kind: 'contamination', rate: 0.1 }, scores);
  assert.ok(Math.abs(t - 90.1) < 1e-9, `${t}`);
  const flagged = applyThreshold(scores, t).reduce((a, b) => a + b, 0);
  assert.equal(flagged, 10);
});

test('a fixed value is used as given', () => {
  assert.equal(fitThreshold({ kind: 'value', value: 42 }, scores), 42);
});

test('auto prefers the detector\'s natural cutoff', () => {
  assert.equal(fitThreshold({ kind: 'auto' }, scores, { natural: 99.5 }), 99.5);
  assert.deepEqual(autoCutoff(scores, 99.5), { cutoff: 99.5, rule: 'detector' });
});

test('auto never flags more than 5% of the training rows, whatever the rule says', () => {
  // A natural cutoff of 3.5 would flag 96 of these 100; the cap keeps it to the top 5%.
  const capped = autoCutoff(scores, 3.5);
  assert.equal(capped.rule, 'cap');
  assert.equal(applyThreshold(scores, capped.cutoff).reduce((a, b) => a + b, 0), 5);
  // Two modes: a fifth of the rows far above a tight bulk lie beyond the fence of the bulk.
  const modes = Float64Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 10 + (i % 7) * 0.01 : 1 + (i % 5) * 0.01));
  const m = autoCutoff(modes, undefined);
  assert.equal(m.rule, 'cap');
  assert.ok(applyThreshold(modes, m.cutoff).reduce((a, b) => a + b, 0) <= 20);
});

test('auto without a natural cutoff is Tukey\'s far-out fence Q3 + 3 IQR of the training scores', () => {
  // 1..100: Q1 = 25.75, Q3 = 75.25 (linear interpolation) -> 75.25 + 3 * 49.5
  // 1..100: Q1 = 25.75, Q3 = 75.25 (linear interpolation); uniform scores have no far-out values.
  assert.deepEqual(autoCutoff(scores, undefined), { cutoff: 75.25 + 3 * 49.5, rule: 'fence' });
  const normalish = Float64Array.from({ length: 1000 }, (_, i) => Math.sqrt(-2 * Math.log((i + 0.5) / 1000)));
  const fence = autoCutoff(normalish, undefined);
  const sorted = Float64Array.from(normalish).sort();
  const q1 = sorted[249]! + (sorted[250]! - sorted[249]!) * 0.75;
  const q3 = sorted[749]! + (sorted[750]! - sorted[749]!) * 0.25;
  assert.equal(fence.rule, 'fence');
  assert.ok(Math.abs(fence.cutoff - (q3 + 3 * (q3 - q1))) < 1e-9, `${fence.cutoff}`);
  // Right-skewed scores (exponential-like distances): the fence flags only the far tail.
  const skewed = Float64Array.from({ length: 1000 }, (_, i) => -Math.log(1 - (i + 0.5) / 1000));
  const flagged = applyThreshold(skewed, fitThreshold({ kind: 'auto' }, skewed)).reduce((a, b) => a + b, 0);
  assert.ok(flagged > 0 && flagged <= 10, `${flagged} of 1000 exponential scores flagged`);
});

test('auto when most scores tie: the spread of a normal with their standard deviation; all equal flags none', () => {
  const tied = Float64Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : i === 99 ? 50 : 1));
  const t = fitThreshold({ kind: 'auto' }, tied);
  assert.ok(t > 1 && t < 50, `${t}`);
  assert.deepEqual([...applyThreshold(tied, t)].reduce((a, b) => a + b, 0), 1);
  const flat = new Float64Array(10).fill(2);
  assert.equal(applyThreshold(flat, fitThreshold({ kind: 'auto' }, flat)).reduce((a, b) => a + b, 0), 0);
});

test('threshold specs are validated', () => {
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'contamination', rate: 0.7 }).success, false);
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'nope' }).success, false);
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'value', value: 2 }).success, true);
});

test('only scores strictly above the cutoff are anomalies', () => {
  assert.deepEqual(Array.from(applyThreshold([1, 2, 3], 2)), [0, 0, 1]);
});
