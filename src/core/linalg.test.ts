import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jacobiEigen } from '../testing/jacobi.js';
import { centered, choleskyInverse, columnMeans, covariance, crossProduct, principalAxes, productTransposed, symmetricPinv } from './linalg.js';
import { matrix, type Matrix } from './matrix.js';
import { Rng } from './random.js';

function randomRows(rows: number, cols: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

/** Rows with a spread-out spectrum: feature j scaled by 1.5^-j, then mixed by a fixed rotation-like map. */
function spread(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const mix = randomRows(cols, cols, seed + 1000);
  const X = matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const z = Array.from({ length: cols }, (_, j) => rng.normal() * 1.5 ** -j);
    for (let c = 0; c < cols; c++) {
      let s = 3 + c;
      for (let j = 0; j < cols; j++) s += z[j]! * mix[j * cols + c]!;
      X.data[i * cols + c] = s;
    }
  }
  return X;
}

test('crossProduct is A A^T, across the 4 x 2 blocks, odd sizes and column blocks', () => {
  for (const [r, len] of [[1, 3], [2, 1], [5, 7], [6, 3], [7, 1030], [9, 513]] as const) {
    const A = randomRows(r, len, r * 31 + len);
    const C = crossProduct(A, r, len);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        let s = 0;
        for (let k = 0; k < len; k++) s += A[i * len + k]! * A[j * len + k]!;
        assert.ok(Math.abs(C[i * r + j]! - s) < 1e-9 * (1 + Math.abs(s)), `${r}x${len} entry ${i},${j}: ${C[i * r + j]} vs ${s}`);
      }
    }
  }
  assert.throws(() => crossProduct(new Float64Array(5), 2, 3), RangeError);
});

test('productTransposed is A B^T for any row counts', () => {
  for (const [ra, rb, len] of [[1, 1, 4], [3, 5, 2], [6, 7, 9], [9, 2, 600]] as const) {
    const A = randomRows(ra, len, ra + 7 * rb);
    const B = randomRows(rb, len, ra * 13 + rb);
    const C = productTransposed(A, ra, B, rb, len);
    assert.equal(C.length, ra * rb);
    for (let i = 0; i < ra; i++) {
      for (let j = 0; j < rb; j++) {
        let s = 0;
        for (let k = 0; k < len; k++) s += A[i * len + k]! * B[j * len + k]!;
        assert.ok(Math.abs(C[i * rb + j]! - s) < 1e-9 * (1 + Math.abs(s)), `${ra}x${rb}x${len} entry ${i},${j}`);
      }
    }
  }
  assert.throws(() => productTransposed(new Float64Array(6), 2, new Float64Array(5), 2, 3), RangeError);
});

test('covariance is the two-pass sample covariance', () => {
  const X = spread(40, 6, 1);
  const mu = columnMeans(X);
  const C = covariance(X, mu, 1);
  for (let a = 0; a < 6; a++) {
    for (let b = 0; b < 6; b++) {
      let s = 0;
      for (let i = 0; i < 40; i++) s += (X.data[i * 6 + a]! - mu[a]!) * (X.data[i * 6 + b]! - mu[b]!);
      assert.ok(Math.abs(C[a * 6 + b]! - s / 39) < 1e-12, `${a},${b}`);
    }
  }
});

test('choleskyInverse inverts a positive-definite matrix and refuses a singular or indefinite one', () => {
  const n = 12;
  const A = crossProduct(randomRows(n, n + 3, 5), n, n + 3);
  const inv = choleskyInverse(A, n)!;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k]! * inv[k * n + j]!;
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9, `(A A^-1)[${i},${j}] = ${s}`);
      assert.equal(inv[i * n + j], inv[j * n + i]);
    }
  }
  const pinv = symmetricPinv(A, n);
  for (let k = 0; k < n * n; k++) assert.ok(Math.abs(inv[k]! - pinv[k]!) < 1e-9 * (1 + Math.abs(pinv[k]!)));
  // u u^T has rank 1; diag(1, -1) is indefinite.
  const u = [1, 2, 3];
  assert.equal(choleskyInverse(Float64Array.from({ length: 9 }, (_, k) => u[Math.floor(k / 3)]! * u[k % 3]!), 3), undefined);
  assert.equal(choleskyInverse(Float64Array.from([1, 0, 0, -1]), 2), undefined);
});

/** The covariance's eigenvalues and vectors by Jacobi: what principalAxes must agree with. */
function reference(X: Matrix) {
  return jacobiEigen(covariance(X, columnMeans(X), 1), X.cols);
}

function assertSameAxes(X: Matrix, kept: number) {
  const want = reference(X);
  const got = principalAxes(centered(X, columnMeans(X)), X.rows, X.cols, () => kept);
  const d = X.cols;
  assert.equal(got.kept, kept);
  assert.equal(got.values.length, d);
  const top = want.values[0]!;
  for (let m = 0; m < d; m++) {
    assert.ok(Math.abs(got.values[m]! - Math.max(0, want.values[m]!)) < 1e-10 * top, `value ${m}: ${got.values[m]} vs ${want.values[m]}`);
  }
  for (let m = 0; m < kept; m++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += got.vectors[m * d + j]! * want.vectors[m]![j]!;
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-8, `vector ${m}: |dot| = ${Math.abs(dot)}`);
  }
}

test('principalAxes agrees with a Jacobi decomposition of the covariance: more rows than columns', () => {
  assertSameAxes(spread(60, 9, 2), 4);
  assertSameAxes(spread(60, 9, 3), 9);
});

test('principalAxes agrees with a Jacobi decomposition of the covariance: fewer rows than columns (the Gram route)', () => {
  // 15 rows in 24 columns span 14 directions; the other 10 eigenvalues are 0.
  assertSameAxes(spread(15, 24, 4), 6);
  assertSameAxes(spread(15, 24, 5), 14);
});

test('asking the Gram route for directions the rows do not span still gives orthonormal vectors', () => {
  const X = spread(6, 10, 6);
  const got = principalAxes(centered(X, columnMeans(X)), 6, 10, () => 8);
  assert.equal(got.kept, 8);
  for (let a = 0; a < 8; a++) {
    for (let b = 0; b < 8; b++) {
      let dot = 0;
      for (let j = 0; j < 10; j++) dot += got.vectors[a * 10 + j]! * got.vectors[b * 10 + j]!;
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-10, `${a}.${b} = ${dot}`);
    }
  }
  // The five spanned directions come first, as in the covariance's own decomposition.
  for (let m = 5; m < 10; m++) assert.ok(got.values[m]! < 1e-12 * got.values[0]!);
});
