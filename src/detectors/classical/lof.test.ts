import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, matrix, selectRows } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { lof } from './lof.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-8, `${what}: ${a} vs ${b}`);

test('a hand-computed 1-D example (k = 2)', async () => {
  // Training 0 1 2 3. Neighbours without self: 0 -> {1, 2}, 1 -> {0, 2}, 2 -> {1, 3}, 3 -> {2, 1},
  // so k-distances are 2 1 1 2. reach(p, o) = max(d(p, o), kdist(o)):
  //   0: max(1, 1), max(2, 1) -> mean 1.5;  1: max(1, 2), max(1, 1) -> 1.5;
  //   2: max(1, 1), max(1, 2) -> 1.5;       3: max(1, 1), max(2, 1) -> 1.5;
  // every lrd is 1 / 1.5 = 2/3.
  // New 1.5: neighbours 1 and 2 at 0.5, reach max(0.5, 1) twice -> lrd 1 -> LOF (2/3) / 1.
  // New 10: neighbours 3 at 7 and 2 at 8, reach 7 and 8 -> lrd 1 / 7.5 -> LOF (2/3) * 7.5 = 5.
  // New 0 (a training value): neighbours 0 at 0 and 1 at 1, reach 2 and 1 -> lrd 2/3 -> LOF 1.
  const d = lof({ nNeighbors: 2 });
  await d.fit(fromRows([[0], [1], [2], [3]]));
  const st = d.getState().arrays;
  assert.deepEqual(Array.from(st['kDist']!), [2, 1, 1, 2]);
  for (const v of st['lrd']!) close(v, 2 / 3, 'lrd');
  const s = await d.score(fromRows([[1.5], [10], [0]]));
  close(s[0]!, 2 / 3, 'x = 1.5');
  close(s[1]!, 5, 'x = 10');
  close(s[2]!, 1, 'x = 0');
});

test('about 1 inside a uniform grid, well above 1 off it', async () => {
  const rows: number[][] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) rows.push([i, j]);
  const d = lof({ nNeighbors: 8 });
  await d.fit(fromRows(rows));
  const inside = await d.score(fromRows([[4, 4], [4.5, 4.5], [5, 4.5], [2, 7]]));
  for (const v of inside) assert.ok(v > 0.85 && v < 1.1, `grid point LOF ${v}`);
  const [near, far] = await d.score(fromRows([[4.5, 12], [20, 20]]));
  assert.ok(near! > 1.5, `just off the grid: ${near}`);
  assert.equal(d.naturalThreshold!(), undefined, 'auto uses a cutoff only when one is given');
  assert.equal(lof({ cutoff: 2 }).naturalThreshold!(), 2);
  assert.ok(far! > 5, `far off the grid: ${far}`);
});

test('both searches give the same scores; batches do not matter', async () => {
  const rng = new Rng(4);
  const X = matrix(150, 5);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.normal();
  const Q = matrix(25, 5);
  for (let i = 0; i < Q.data.length; i++) Q.data[i] = rng.normal() * 2;
  const a = lof({ search: 'kdtree', nNeighbors: 10 });
  const b = lof({ search: 'brute', nNeighbors: 10 });
  await a.fit(X);
  await b.fit(X);
  const sa = await a.score(Q);
  // No ties in continuous data, so the same neighbours and the same arithmetic.
  assert.deepEqual(sa, await b.score(Q));
  for (let i = 0; i < Q.rows; i++) assert.equal((await a.score(selectRows(Q, [i])))[0], sa[i]);
});

test('duplicated training rows give a finite, huge density, not a division by zero', async () => {
  const d = lof({ nNeighbors: 2 });
  await d.fit(fromRows([[0], [0], [0], [1]]));
  const s = await d.score(fromRows([[0], [0.5], [5]]));
  assert.ok(s.every(Number.isFinite));
  assert.ok(s[2]! > s[1]! && s[1]! > s[0]!);
});

test('k is capped at the training rows minus one', async () => {
  const d = lof();
  await d.fit(fromRows([[0], [1], [2]]));
  assert.equal(d.getState().params['k'], 2);
});
