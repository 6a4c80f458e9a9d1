import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { DataError } from '../../core/errors.js';
import { neighborIndex, type Neighbors } from './neighbors.js';

function randomMatrix(rows: number, cols: number, seed: number, offset = 0): Matrix {
  const rng = new Rng(seed);
  const m = matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = offset + rng.normal();
  return m;
}

/** Every distance, fully sorted: the reference the searches must reproduce. */
function naive(ref: Matrix, q: Matrix, k: number, self: boolean): { d: number[][]; idx: number[][] } {
  const d: number[][] = [];
  const idx: number[][] = [];
  for (let i = 0; i < q.rows; i++) {
    const all: [number, number][] = [];
    for (let r = 0; r < ref.rows; r++) {
      if (self && r === i) continue;
      let s = 0;
      for (let j = 0; j < ref.cols; j++) s += (q.data[i * q.cols + j]! - ref.data[r * ref.cols + j]!) ** 2;
      all.push([Math.sqrt(s), r]);
    }
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    d.push(all.slice(0, k).map((p) => p[0]));
    idx.push(all.slice(0, k).map((p) => p[1]));
  }
  return { d, idx };
}

function assertMatches(got: Neighbors, want: { d: number[][]; idx: number[][] }, what: string): void {
  const k = got.k;
  want.d.forEach((row, i) => {
    row.forEach((v, j) => {
      const g = got.distances[i * k + j]!;
      assert.ok(Math.abs(g - v) <= 1e-9 * Math.max(1, v), `${what}: row ${i} neighbour ${j}: ${g} vs ${v}`);
      // Continuous random data has no ties, so the neighbours themselves must agree too.
      assert.equal(got.indices[i * k + j], want.idx[i]![j], `${what}: row ${i} neighbour ${j} index`);
    });
  });
}

// 301 reference and 53 query rows: neither a multiple of the 4 x 4 tiles; with 100 features the
// brute-force reference blocks are 160 rows, so there are several blocks and a ragged tail.
for (const [cols, k] of [
  [3, 1],
  [3, 7],
  [20, 5],
  [100, 9],
] as const) {
  test(`k-d tree and brute force both equal a full sort (${cols} features, k = ${k})`, () => {
    const ref = randomMatrix(301, cols, 1);
    const q = randomMatrix(53, cols, 2);
    const want = naive(ref, q, k, false);
    const tree = neighborIndex(ref, 'kdtree');
    const brute = neighborIndex(ref, 'brute');
    assert.equal(tree.method, 'kdtree');
    assert.equal(brute.method, 'brute');
    const a = tree.query(q, k);
    const b = brute.query(q, k);
    assertMatches(a, want, 'kdtree');
    assertMatches(b, want, 'brute');
    // Both measure survivors with the same summation, so the distances agree bit for bit.
    assert.deepEqual(a.distances, b.distances);
  });

  test(`querySelf leaves each row out of its own neighbours (${cols} features, k = ${k})`, () => {
    const ref = randomMatrix(301, cols, 3);
    const want = naive(ref, ref, k, true);
    for (const method of ['kdtree', 'brute'] as const) {
      const got = neighborIndex(ref, method).querySelf(k);
      assertMatches(got, want, method);
    }
  });
}

test('auto picks the tree up to 16 features and the scan above', () => {
  assert.equal(neighborIndex(randomMatrix(10, 16, 1)).method, 'kdtree');
  assert.equal(neighborIndex(randomMatrix(10, 17, 1)).method, 'brute');
});

test('exact when a large offset dwarfs the distances', () => {
  // Coordinates near 1e6 with unit spread: |q|^2 + |r|^2 - 2 q.r loses almost all its digits,
  // and so would a tree's variance taken as E[x^2] - E[x]^2.
  for (const cols of [5, 40]) {
    const ref = randomMatrix(150, cols, 5, 1e6);
    const q = randomMatrix(30, cols, 6, 1e6);
    const want = naive(ref, q, 4, false);
    for (const method of ['kdtree', 'brute'] as const) assertMatches(neighborIndex(ref, method).query(q, 4), want, `${method}, offset`);
  }
});

test('duplicated rows: distance 0 to the copies, never to the row itself', () => {
  const ref = fromRows([[1, 1], [1, 1], [1, 1], [5, 5]]);
  for (const method of ['kdtree', 'brute'] as const) {
    const nb = neighborIndex(ref, method).querySelf(2);
    assert.deepEqual(Array.from(nb.distances.subarray(0, 6)), [0, 0, 0, 0, 0, 0], method);
    for (let i = 0; i < 3; i++) assert.ok(!Array.from(nb.indices.subarray(2 * i, 2 * i + 2)).includes(i), method);
    assert.ok(Math.abs(nb.distances[6]! - Math.sqrt(32)) < 1e-12, method);
  }
});

test('many identical rows do not break the tree', () => {
  const rows = Array.from({ length: 500 }, (_, i) => (i < 400 ? [0, 0, 0] : [i, 0, 1]));
  const ref = fromRows(rows);
  const nb = neighborIndex(ref, 'kdtree').query(fromRows([[0, 0, 0], [450, 0, 1]]), 3);
  assert.deepEqual(Array.from(nb.distances.subarray(0, 3)), [0, 0, 0]);
  assert.deepEqual(Array.from(nb.distances.subarray(3, 6)), [0, 1, 1]);
});

test('asking for more neighbours than rows is a DataError', () => {
  const ref = randomMatrix(5, 2, 1);
  assert.throws(() => neighborIndex(ref).query(ref, 6), DataError);
  assert.throws(() => neighborIndex(ref).querySelf(5), DataError);
  assert.throws(() => neighborIndex(ref).query(randomMatrix(2, 3, 1), 1), DataError);
});
