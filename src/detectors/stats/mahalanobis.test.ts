import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnMeans, covariance, symmetricPinv } from '../../core/linalg.js';
import { fromRows, matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { mahalanobis } from './mahalanobis.js';
import { zscore } from './zscore.js';

/** Standard bivariate normal with correlation 0.9. */
function correlated(n: number, seed: number) {
  const rng = new Rng(seed);
  const X = matrix(n, 2);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    X.data[2 * i] = a;
    X.data[2 * i + 1] = 0.9 * a + Math.sqrt(1 - 0.81) * rng.normal();
  }
  return X;
}

test('off the correlation axis beats on-axis with larger per-feature z', async () => {
  const X = correlated(4000, 3);
  const onAxis = [2, 2];
  const offAxis = [1, -1];
  const rows = fromRows([onAxis, offAxis]);
  const m = mahalanobis();
  await m.fit(X);
  const [on, off] = await m.score(rows);
  // Population values: d^2 = (x^2 - 2 rho x y + y^2) / (1 - rho^2) = 0.8 / 0.19 and 3.8 / 0.19.
  assert.ok(Math.abs(on! - Math.sqrt(0.8 / 0.19)) < 0.15, `on-axis ${on}`);
  assert.ok(Math.abs(off! - Math.sqrt(3.8 / 0.19)) < 0.3, `off-axis ${off}`);
  assert.ok(off! > 2 * on!);
  const z = zscore();
  await z.fit(X);
  const [zOn, zOff] = await z.score(rows);
  assert.ok(zOn! > zOff!, 'per-feature z ranks them the other way');
});

test('explain terms sum to the squared distance; one can be negative', async () => {
  const m = mahalanobis();
  await m.fit(correlated(500, 4));
  const rows = fromRows([[1, -1], [2, 1], [-0.5, 3]]);
  const s = await m.score(rows);
  const e = await m.explain!(rows);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(e.data[2 * i]! + e.data[2 * i + 1]! - s[i]! ** 2) < 1e-9);
  // (2, 1): the second feature's deviation is smaller than the first predicts, so its term is negative.
  assert.ok(e.data[3]! < 0);
});

test('natural threshold is sqrt of the chi-square quantile', async () => {
  const m = mahalanobis();
  await m.fit(correlated(100, 5));
  assert.ok(Math.abs(m.naturalThreshold!()! - Math.sqrt(9.21034037197618)) < 1e-10);
  const m3 = mahalanobis({ alpha: 0.05 });
  await m3.fit(fromRows([[0, 1, 2], [1, 0, 2], [2, 2, 0], [1, 1, 1], [0, 2, 1]]));
  assert.ok(Math.abs(m3.naturalThreshold!()! - Math.sqrt(7.814727903251178)) < 1e-10);
});

test('a constant or duplicated feature: the ridge keeps the inverse finite and the off-span row far', async () => {
  const X = fromRows([[0, 0, 5], [1, 1, 5], [2, 2, 5], [3, 3, 5], [1, 1, 5]]);
  const rows = fromRows([[1, 1, 5], [4, 0, 6]]);
  const ridged = mahalanobis();
  await ridged.fit(X);
  const s = await ridged.score(rows);
  assert.ok(s.every(Number.isFinite));
  assert.ok(s[1]! > 100 * s[0]!, `off-span ${s[1]} vs on-span ${s[0]}`);
  // Without the ridge the pseudo-inverse simply ignores the directions the data never moved in.
  const bare = mahalanobis({ ridge: 0 });
  await bare.fit(X);
  const b = await bare.score(rows);
  assert.ok(b.every(Number.isFinite) && b[1]! < 10);
});

for (const [rows, cols] of [
  [200, 6],
  [12, 20],
] as const) {
  test(`the precision is the pseudo-inverse of the ridged covariance (${rows} rows of ${cols})`, async () => {
    const rng = new Rng(rows);
    const X = matrix(rows, cols);
    for (let k = 0; k < X.data.length; k++) X.data[k] = rng.normal() * (1 + (k % cols));
    const m = mahalanobis();
    await m.fit(X);
    const mean = columnMeans(X);
    const cov = covariance(X, mean, 1);
    let trace = 0;
    for (let j = 0; j < cols; j++) trace += cov[j * cols + j]!;
    for (let j = 0; j < cols; j++) cov[j * cols + j]! += (1e-6 * trace) / cols;
    const want = symmetricPinv(cov, cols);
    const got = m.getState().arrays['precision'] as Float64Array;
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    for (let k = 0; k < want.length; k++) assert.ok(Math.abs(got[k]! - want[k]!) < 1e-6 * scale, `entry ${k}: ${got[k]} vs ${want[k]}`);
  });
}
