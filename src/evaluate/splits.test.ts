import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedKFold, trainTestSplit } from './splits.js';

test('train/test split: sizes, disjoint, covering, seeded', () => {
  const a = trainTestSplit(10, 0.4, 1);
  assert.equal(a.test.length, 4);
  assert.equal(a.train.length, 6);
  assert.deepEqual([...a.train, ...a.test].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(trainTestSplit(10, 0.4, 1), a);
  assert.notDeepEqual(trainTestSplit(10, 0.4, 2).test, a.test);
});

test('stratified k-fold keeps the anomaly share in every fold', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const folds = stratifiedKFold(labels, 5, 3);
  assert.equal(folds.length, 5);
  const seen = new Set<number>();
  for (const f of folds) {
    assert.equal(f.test.length, 20);
    assert.equal(f.train.length, 80);
    assert.equal(Array.from(f.test).filter((i) => labels[i] === 1).length, 2);
    for (const i of f.test) {
      assert.ok(!seen.has(i), 'each row is tested once');
      seen.add(i);
    }
  }
  assert.equal(seen.size, 100);
});

test('stratified k-fold rejects too few rows or folds', () => {
  assert.throws(() => stratifiedKFold([0, 1], 3, 0), /cannot make 3 folds/);
  assert.throws(() => stratifiedKFold([0, 1, 0], 1, 0), /folds must be/);
});
