import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnMeans, covariance } from '../../core/linalg.js';
import { fromRows, matrix, type Matrix } from '../../core/matrix.js';
import { jacobiEigen } from '../../testing/jacobi.js';
import { Rng } from '../../core/random.js';
import { componentsFor, pca } from './pca.js';

test('components kept: the first whose cumulative share exceeds the variance (scikit-learn)', () => {
  // Shares 0.5 0.8 0.9 1.0.
  const values = [5, 3, 1, 1];
  assert.equal(componentsFor(values, 0.4), 1);
  assert.equal(componentsFor(values, 0.5), 2);
  assert.equal(componentsFor(values, 0.85), 3);
  assert.equal(componentsFor(values, 0.9), 4);
  assert.equal(componentsFor(values, 1), 4);
  assert.equal(componentsFor([0, 0], 0.9), 0);
});

/** Rows c + a u + b v on a plane in 3-D, u and v orthonormal. */
function plane(rows: number, seed: number) {
  const s = Math.SQRT1_2;
  const u = [s, s, 0];
  const v = [0, 0, 1];
  const w = [s, -s, 0];
  const c = [1, -2, 0.5];
  const rng = new Rng(seed);
  const X = matrix(rows, 3);
  for (let i = 0; i < rows; i++) {
    const a = rng.normal() * 2;
    const b = rng.normal();
    for (let j = 0; j < 3; j++) X.data[i * 3 + j] = c[j]! + a * u[j]! + b * v[j]!;
  }
  return { X, u, v, w, c };
}

test('rows on a plane score about 0; an off-plane row scores its squared distance', async () => {
  const { X, u, v, w, c } = plane(200, 1);
  // Two non-zero eigenvalues (about 4 and 1): the default 90% keeps both.
  const d = pca();
  await d.fit(X);
  assert.equal(d.getState().params['kept'], 2);
  const on = await d.score(X);
  for (const s of on) assert.ok(s < 1e-20, `on-plane score ${s}`);
  const off = [0, 1, 2].map((j) => c[j]! + 0.7 * u[j]! - 1.2 * v[j]! + 2 * w[j]!);
  const [s] = await d.score(fromRows([off]));
  assert.ok(Math.abs(s! - 4) < 1e-9, `off-plane score ${s}`);
  // The residual 2 w splits over the features as 4 w_j^2 = 2, 2, 0.
  const e = await d.explain!(fromRows([off]));
  [2, 2, 0].forEach((want, j) => assert.ok(Math.abs(e.data[j]! - want) < 1e-9, `feature ${j}: ${e.data[j]}`));
});

test('components overrides variance; one component leaves the minor in-plane direction as error', async () => {
  const { X, v } = plane(200, 2);
  const d = pca({ components: 1 });
  await d.fit(X);
  assert.equal(d.getState().params['kept'], 1);
  // 1.5 along v (the minor axis) from the mean: all of it is error, up to the small in-plane
  // tilt of the estimated major axis.
  const mean = d.getState().arrays['mean'] as Float64Array;
  const p = [0, 1, 2].map((j) => mean[j]! + 1.5 * v[j]!);
  const [s] = await d.score(fromRows([p]));
  assert.ok(Math.abs(s! - 2.25) < 0.05, `score ${s}`);
  // More components than features: capped.
  const all = pca({ components: 9 });
  await all.fit(X);
  assert.equal(all.getState().params['kept'], 3);
});

/** Squared distance of each row from the span of the covariance's leading `kept` eigenvectors, by Jacobi. */
function referenceScores(train: Matrix, kept: number, rows: Matrix): number[] {
  const d = train.cols;
  const mu = columnMeans(train);
  const { vectors } = jacobiEigen(covariance(train, mu, 1), d);
  return Array.from({ length: rows.rows }, (_, i) => {
    const r = Array.from({ length: d }, (_, j) => rows.data[i * d + j]! - mu[j]!);
    for (let m = 0; m < kept; m++) {
      const y = r.reduce((s, x, j) => s + x * vectors[m]![j]!, 0);
      for (let j = 0; j < d; j++) r[j]! -= y * vectors[m]![j]!;
    }
    return r.reduce((s, x) => s + x * x, 0);
  });
}

/** Rows whose features have spread-out variances (so the kept subspace is well defined). */
function graded(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const X = matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const z = Array.from({ length: cols }, (_, j) => rng.normal() * 1.3 ** -j);
    for (let c = 0; c < cols; c++) X.data[i * cols + c] = z[c]! + 0.3 * z[(c + 1) % cols]! - 0.2 * z[(c + 3) % cols]!;
  }
  return X;
}

for (const [rows, cols] of [
  [80, 12],
  [20, 35],
] as const) {
  test(`scores equal the covariance decomposition's (${rows} rows of ${cols}: ${rows < cols ? 'Gram' : 'covariance'} route); the state round-trips`, async () => {
    const train = graded(rows, cols, rows + cols);
    const test = graded(30, cols, 99);
    const d = pca();
    await d.fit(train);
    const kept = d.getState().params['kept'] as number;
    assert.ok(kept > 1 && kept < Math.min(rows, cols), `kept ${kept}`);
    const want = referenceScores(train, kept, test);
    const got = await d.score(test);
    want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) < 1e-9 * (1 + w), `row ${i}: ${got[i]} vs ${w}`));
    const values = d.getState().arrays['values'] as Float64Array;
    assert.equal(values.length, cols);
    const again = pca();
    again.setState(d.getState());
    assert.deepEqual(Array.from(await again.score(test)), Array.from(got));
  });
}
