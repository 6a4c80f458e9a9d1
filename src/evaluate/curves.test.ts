import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prCurve, rocCurve, scoreHistogram } from './curves.js';
import { averagePrecision, rocAuc } from './metrics.js';

const labels = [0, 0, 1, 0, 1, 1, 0, 0, 1, 0];
const scores = [0.1, 0.4, 0.35, 0.8, 0.9, 0.7, 0.2, 0.3, 0.65, 0.05];

test('the ROC curve runs from (0,0) to (1,1) and its trapezoid area is rocAuc', () => {
  const c = rocCurve(labels, scores)!;
  assert.deepEqual([c.fpr[0], c.tpr[0]], [0, 0]);
  assert.deepEqual([c.fpr.at(-1), c.tpr.at(-1)], [1, 1]);
  let area = 0;
  for (let i = 1; i < c.fpr.length; i++) area += ((c.fpr[i]! - c.fpr[i - 1]!) * (c.tpr[i]! + c.tpr[i - 1]!)) / 2;
  assert.ok(Math.abs(area - rocAuc(labels, scores)) < 1e-12);
});

test('the PR curve gives averagePrecision as its step sum, and thinning keeps both ends', () => {
  const c = prCurve(labels, scores)!;
  let ap = 0;
  for (let i = 0; i < c.recall.length; i++) ap += (c.recall[i]! - (i ? c.recall[i - 1]! : 0)) * c.precision[i]!;
  assert.ok(Math.abs(ap - averagePrecision(labels, scores)) < 1e-12);
  const many = Array.from({ length: 1000 }, (_, i) => i % 7 === 0 ? 1 : 0);
  const s = many.map((y, i) => y + ((i * 7919) % 1000) / 1000);
  const t = rocCurve(many, s, 50)!;
  assert.equal(t.fpr.length, 50);
  assert.deepEqual([t.fpr.at(-1), t.tpr.at(-1)], [1, 1]);
});

test('one class has no ROC curve; no positives no PR curve', () => {
  assert.equal(rocCurve([0, 0], [1, 2]), null);
  assert.equal(prCurve([0, 0], [1, 2]), null);
  assert.throws(() => rocCurve([0, 1], [1]), /2 labels for 1 scores/);
});

test('the histogram counts every finite score once, in equal bins', () => {
  const h = scoreHistogram([0, 1, 2, 3, 4, NaN, 4], 4)!;
  assert.deepEqual(h.edges, [0, 1, 2, 3, 4]);
  assert.deepEqual(h.counts, [1, 1, 1, 3]);
  assert.deepEqual(scoreHistogram([2, 2])!.counts, [2]);
  assert.equal(scoreHistogram([NaN]), null);
});
