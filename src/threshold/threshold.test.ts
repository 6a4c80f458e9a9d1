import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyThreshold, fitThreshold, thresholdSpecSchema } from './index.js';

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
  assert.equal(fitThreshold({ kind: 'auto' }, scores, { natural: 3.5 }), 3.5);
});

test('auto without a natural cutoff is median + 3 robust sd of the training scores', () => {
  // median 50.5, MAD 25 -> 50.5 + 3 * 1.4826 * 25
  const t = fitThreshold({ kind: 'auto' }, scores);
  assert.ok(Math.abs(t - (50.5 + 3 * 1.482602218505602 * 25)) < 1e-9);
});

test('threshold specs are validated', () => {
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'contamination', rate: 0.7 }).success, false);
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'nope' }).success, false);
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'value', value: 2 }).success, true);
});

test('only scores strictly above the cutoff are anomalies', () => {
  assert.deepEqual(Array.from(applyThreshold([1, 2, 3], 2)), [0, 0, 1]);
});
