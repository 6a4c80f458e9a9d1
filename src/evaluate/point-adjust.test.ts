import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusion, prf } from './metrics.js';
import { pointAdjust, pointAdjustedPRF } from './point-adjust.js';

test('one hit in a true segment credits the whole segment', () => {
  const labels = [0, 1, 1, 1, 1, 0, 0, 1, 1, 0];
  const preds = [1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(Array.from(pointAdjust(labels, preds)), [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  const r = pointAdjustedPRF(labels, preds);
  // tp 4 (the adjusted segment), fp 1 (row 0), fn 2 (the missed segment)
  assert.deepEqual([r.tp, r.fp, r.fn, r.tn], [4, 1, 2, 3]);
  assert.equal(r.precision, 0.8);
  assert.equal(r.recall, 4 / 6);
});

test('point adjustment is optimistic: a single lucky point in a long segment beats the point-wise F1 by far', () => {
  const labels = new Array(1000).fill(0);
  for (let i = 100; i < 400; i++) labels[i] = 1;
  const preds = new Array(1000).fill(0);
  preds[250] = 1;
  const pointwise = prf(confusion(labels, preds)).f1;
  const adjusted = pointAdjustedPRF(labels, preds).f1;
  assert.ok(pointwise < 0.01 && adjusted === 1, `${pointwise} ${adjusted}`);
});
