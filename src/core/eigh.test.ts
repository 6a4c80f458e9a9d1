import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jacobiEigen } from '../testing/jacobi.js';
import { symmetricEigenLeading, symmetricEigenQL } from './eigh.js';
import { Rng } from './random.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = rng.normal();
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  return A;
}

for (const n of [1, 2, 3, 10, 37]) {
  test(`A v = lambda v with orthonormal vectors, and the values sum to the trace (n = ${n})`, () => {
    const A = randomSymmetric(n, n);
    const { values, vectors } = symmetricEigenQL(A, n);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i]!;
    assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - trace) < 1e-9, 'sum of eigenvalues = trace');
    for (let k = 0; k < n; k++) {
      if (k > 0) assert.ok(values[k]! <= values[k - 1]!, 'largest first');
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += A[i * n + j]! * vectors[k * n + j]!;
        assert.ok(Math.abs(av - values[k]! * vectors[k * n + i]!) < 1e-10, `residual ${k}, ${i}`);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors[k * n + j]! * vectors[m * n + j]!;
        assert.ok(Math.abs(dot - (k === m ? 1 : 0)) < 1e-12, `orthonormal ${k}, ${m}`);
      }
    }
  });
}

test('a rank-deficient matrix and a diagonal one', () => {
  // u u^T with u = (1, 2, 2): one eigenvalue 9, the rest 0.
  const u = [1, 2, 2];
  const A = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A[i * 3 + j] = u[i]! * u[j]!;
  const { values, vectors } = symmetricEigenQL(A, 3);
  assert.ok(Math.abs(values[0]! - 9) < 1e-12 && Math.abs(values[1]!) < 1e-12 && Math.abs(values[2]!) < 1e-12);
  assert.ok(Math.abs(Math.abs(vectors[0]! * 1 + vectors[1]! * 2 + vectors[2]! * 2) - 3) < 1e-12);
  const D = symmetricEigenQL(Float64Array.from([1, 0, 0, 0, 5, 0, 0, 0, 3]), 3);
  assert.deepEqual(Array.from(D.values), [5, 3, 1]);
});

test('the leading eigenvectors alone: the same values, the same vectors as the full decomposition', () => {
  const n = 40;
  const A = randomSymmetric(n, 11);
  const full = symmetricEigenQL(A, n);
  const seen: number[] = [];
  const lead = symmetricEigenLeading(A, n, (values) => {
    seen.push(values.length);
    return 7;
  });
  assert.deepEqual(seen, [n]);
  assert.deepEqual(Array.from(lead.values), Array.from(full.values));
  assert.equal(lead.vectors.length, 7 * n);
  for (let k = 0; k < 7; k++) {
    let dot = 0;
    for (let j = 0; j < n; j++) dot += lead.vectors[k * n + j]! * full.vectors[k * n + j]!;
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-12, `vector ${k}: |dot| ${Math.abs(dot)}`);
  }
  assert.equal(symmetricEigenLeading(A, n, () => 0).vectors.length, 0);
  assert.equal(symmetricEigenLeading(A, n, () => 99).vectors.length, n * n);
});

test('agrees with a Jacobi decomposition', () => {
  const n = 25;
  const A = randomSymmetric(n, 12);
  const got = symmetricEigenQL(A, n);
  const want = jacobiEigen(A, n);
  for (let k = 0; k < n; k++) {
    assert.ok(Math.abs(got.values[k]! - want.values[k]!) < 1e-10, `value ${k}`);
    let dot = 0;
    for (let j = 0; j < n; j++) dot += got.vectors[k * n + j]! * want.vectors[k]![j]!;
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `vector ${k}`);
  }
});
