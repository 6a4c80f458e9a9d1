import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, matrix, selectRows, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { knn } from './knn.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('a hand-computed 1-D example for each method', async () => {
  // Training points 0 1 2 3 10. From 5 the distances are 2 3 4 5 5, from 10: 0 7 8 9 10,
  // from -1: 1 2 3 4 11.
  const train = fromRows([[0], [1], [2], [3], [10]]);
  const q = fromRows([[5], [10], [-1]]);
  const want: Record<string, Record<number, number[]>> = {
    largest: { 2: [3, 7, 2], 3: [4, 8, 3] },
    mean: { 2: [2.5, 3.5, 1.5], 3: [3, 5, 2] },
    median: { 2: [2.5, 3.5, 1.5], 3: [3, 7, 2] },
  };
  for (const method of ['largest', 'mean', 'median'] as const) {
    for (const k of [2, 3]) {
      const d = knn({ nNeighbors: k, method });
      await d.fit(train);
      const s = await d.score(q);
      want[method]![k]!.forEach((w, i) => close(s[i]!, w, `${method} k=${k} row ${i}`));
    }
  }
});

test('scored training rows count themselves (new-data semantics)', async () => {
  const train = fromRows([[0], [1], [3]]);
  const d = knn({ nNeighbors: 1 });
  await d.fit(train);
  assert.deepEqual(Array.from(await d.score(train)), [0, 0, 0]);
});

function brute(train: Matrix, q: Matrix, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < q.rows; i++) {
    const ds: number[] = [];
    for (let r = 0; r < train.rows; r++) {
      let s = 0;
      for (let j = 0; j < q.cols; j++) s += (q.data[i * q.cols + j]! - train.data[r * q.cols + j]!) ** 2;
      ds.push(Math.sqrt(s));
    }
    out.push(ds.sort((a, b) => a - b)[k - 1]!);
  }
  return out;
}

for (const cols of [4, 24]) {
  test(`equals brute force on random data with either search (${cols} features)`, async () => {
    const rng = new Rng(cols);
    const train = matrix(200, cols);
    const q = matrix(41, cols);
    for (let i = 0; i < train.data.length; i++) train.data[i] = rng.normal();
    for (let i = 0; i < q.data.length; i++) q.data[i] = rng.normal() * 1.5;
    const want = brute(train, q, 5);
    for (const search of ['kdtree', 'brute'] as const) {
      const d = knn({ search });
      await d.fit(train);
      const s = await d.score(q);
      want.forEach((w, i) => assert.ok(Math.abs(s[i]! - w) < 1e-12, `${search} row ${i}: ${s[i]} vs ${w}`));
    }
  });
}

test('scores do not depend on the batch: whole, in chunks, or one row at a time', async () => {
  const rng = new Rng(2);
  const X = matrix(120, 3);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.normal();
  const d = knn({ method: 'mean' });
  await d.fit(X);
  const Q = matrix(30, 3);
  for (let i = 0; i < Q.data.length; i++) Q.data[i] = rng.normal() * 2;
  const whole = await d.score(Q);
  for (let i = 0; i < Q.rows; i++) assert.equal((await d.score(selectRows(Q, [i])))[0], whole[i]);
});

test('fewer training rows than neighbours: k is capped, fit copies its input', async () => {
  const train = fromRows([[0], [4]]);
  const d = knn({ nNeighbors: 5 });
  await d.fit(train);
  train.data[1] = 100;
  assert.equal(d.getState().params['k'], 2);
  assert.deepEqual(Array.from(await d.score(fromRows([[1]]))), [3]);
});
