import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, bestF1, checkBinaryLabels, confusion, precisionAtN, prf, rocAuc } from './metrics.js';
import { DataError } from '../core/errors.js';

const close = (a: number, b: number, msg?: string): void => assert.ok(Math.abs(a - b) < 1e-12, msg ?? `${a} != ${b}`);

test('confusion matrix and precision / recall / F1 by hand', () => {
  const y = [1, 1, 1, 0, 0, 0, 0, 1];
  const p = [1, 0, 1, 1, 0, 0, 0, 0];
  const c = confusion(y, p);
  assert.deepEqual(c, { tp: 2, fp: 1, tn: 3, fn: 2 });
  const m = prf(c);
  close(m.precision, 2 / 3);
  close(m.recall, 2 / 4);
  close(m.f1, (2 * (2 / 3) * 0.5) / (2 / 3 + 0.5));
});

test('precision, recall and F1 are 0 where nothing is predicted or present', () => {
  assert.deepEqual(prf({ tp: 0, fp: 0, tn: 5, fn: 0 }), { precision: 0, recall: 0, f1: 0 });
});

test('ROC-AUC: perfect, reversed and a hand-counted case', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0);
  // pairs (pos, neg): (0.35 vs 0.1) win, (0.35 vs 0.4) lose, (0.8 vs 0.1) win, (0.8 vs 0.4) win -> 3/4
  close(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
});

test('ROC-AUC counts ties as one half', () => {
  close(rocAuc([0, 1], [0.5, 0.5]), 0.5);
  // pos 0.5 vs negs {0.5, 0.2}: 0.5 + 1; pos 0.9 vs both: 2 -> 3.5 / 4
  close(rocAuc([0, 0, 1, 1], [0.5, 0.2, 0.5, 0.9]), 3.5 / 4);
});

test('ROC-AUC is NaN with a single class', () => {
  assert.ok(Number.isNaN(rocAuc([0, 0, 0], [1, 2, 3])));
});

test('average precision by hand (scikit-learn definition)', () => {
  // sorted by score: 1(0.9) 0(0.8) 1(0.7) 0(0.6) -> recall steps at k=1 (P=1) and k=3 (P=2/3)
  close(averagePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6]), 0.5 * 1 + 0.5 * (2 / 3));
  // sklearn: average_precision_score([0,1,1,0],[0.5,0.5,0.9,0.1]) = 0.5*1 + 0.5*(2/3) = 0.8333
  close(averagePrecision([0, 1, 1, 0], [0.5, 0.5, 0.9, 0.1]), 0.5 + 0.5 * (2 / 3));
});

test('precision@n uses the number of true anomalies', () => {
  assert.equal(precisionAtN([1, 0, 1, 0, 0], [0.9, 0.8, 0.1, 0.2, 0.3]), 0.5);
  assert.equal(precisionAtN([1, 0, 1, 0, 0], [0.9, 0.1, 0.8, 0.2, 0.3]), 1);
});

test('best F1 threshold', () => {
  const b = bestF1([0, 1, 1, 0, 1], [0.1, 0.9, 0.8, 0.7, 0.3]);
  // top-2: P=1, R=2/3, F1=0.8; top-4 (down to 0.3): P=3/4, R=1, F1=6/7; top-5: P=0.6, R=1, F1=0.75
  close(b.f1, 6 / 7);
  assert.equal(b.threshold, 0.3);
});

test('labels must be 0 or 1', () => {
  assert.deepEqual(Array.from(checkBinaryLabels([0, 1, 1])), [0, 1, 1]);
  assert.throws(() => checkBinaryLabels([0, 2]), (e: unknown) => e instanceof DataError && /row 2 has '2'/.test(e.message));
});

test('lengths must match', () => {
  assert.throws(() => rocAuc([0, 1], [1]), DataError);
});

const scoreMetrics = { rocAuc, averagePrecision, precisionAtN, bestF1 } as const;

test('every score metric refuses swapped arguments at run time: labels first, scores second', () => {
  const labels = [0, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8];
  for (const [name, fn] of Object.entries(scoreMetrics)) {
    assert.throws(
      () => fn(scores, labels),
      (e: unknown) => e instanceof DataError && new RegExp(`^${name}: labels\\[0\\] is 0.1; .*come first: ${name}\\(labels, scores\\)`).test(e.message),
      name,
    );
  }
});

test('a label other than 0 or 1 is a DataError in every metric, NaN included', () => {
  for (const bad of [2, -1, 0.5, NaN]) {
    for (const fn of Object.values(scoreMetrics)) assert.throws(() => fn([0, bad, 1], [0.1, 0.2, 0.3]), DataError);
    assert.throws(() => confusion([0, bad, 1], [0, 1, 1]), DataError);
  }
});

test('scores must be numbers and predictions 0 or 1', () => {
  for (const fn of Object.values(scoreMetrics)) assert.throws(() => fn([0, 1], [0.1, NaN]), /scores\[1\] is NaN/);
  assert.throws(() => confusion([0, 1], [0.7, 1]), /predictions\[0\] is 0.7/);
});

test('lengths must match in every metric, either way round', () => {
  for (const fn of Object.values(scoreMetrics)) {
    assert.throws(() => fn([0, 1], [0.5]), /2 labels but 1 scores/);
    assert.throws(() => fn([0, 1], [0.5, 0.6, 0.7]), /2 labels but 3 scores/);
  }
  assert.throws(() => confusion([0, 1, 1], [0, 1]), /3 labels but 2 predictions/);
});

test('typed labels and scores are accepted, and a Float64Array in the labels place does not compile', () => {
  const labels = Uint8Array.from([0, 0, 1, 1]);
  const scores = Float64Array.from([0.1, 0.4, 0.35, 0.8]);
  close(rocAuc(labels, scores), 0.75);
  // @ts-expect-error scores (a Float64Array, what detectors return) are not labels
  assert.throws(() => rocAuc(scores, labels), DataError);
  // @ts-expect-error likewise for predictions
  assert.throws(() => confusion(scores, labels), DataError);
});
