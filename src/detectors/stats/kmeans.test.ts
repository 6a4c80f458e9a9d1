import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { kmeans, meanSilhouette } from './kmeans.js';

const CENTRES = [
  [0, 0],
  [10, 0],
  [0, 10],
];

/** 100 rows around each centre, sd 0.5, shuffled together. */
function blobs(seed: number, extra: number[][] = []): Matrix {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  for (const [cx, cy] of CENTRES) for (let i = 0; i < 100; i++) rows.push([cx! + 0.5 * rng.normal(), cy! + 0.5 * rng.normal()]);
  rows.push(...extra);
  rng.shuffle(rows);
  return fromRows(rows);
}

function centres(d: ReturnType<typeof kmeans>): number[][] {
  const c = d.getState().arrays['centers'] as Float64Array;
  const out: number[][] = [];
  for (let i = 0; i < c.length; i += 2) out.push([c[i]!, c[i + 1]!]);
  return out;
}

test('silhouette chooses k = 3 for three separated blobs, and the centres are recovered', async () => {
  const d = kmeans({ seed: 7 });
  await d.fit(blobs(1));
  const st = d.getState();
  assert.equal(st.params['k'], 3);
  const found = centres(d);
  assert.equal(found.length, 3);
  for (const [cx, cy] of CENTRES) {
    const near = Math.min(...found.map(([x, y]) => Math.hypot(x! - cx!, y! - cy!)));
    // The mean of 100 draws with sd 0.5 is within 0.2 of its centre with overwhelming probability.
    assert.ok(near < 0.2, `centre (${cx}, ${cy}) recovered within ${near}`);
  }
  const [s] = await d.score(fromRows([[10, 3]]));
  assert.ok(Math.abs(s! - 3) < 0.2);
});

test('mean silhouette matches a hand computation', () => {
  // Points 0, 1, 10, 11 in two clusters: s = (b - a) / max(a, b) with a = 1 and b = 10.5 or 9.5.
  const x = [0, 1, 10, 11];
  const dist = new Float64Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) dist[i * 4 + j] = Math.abs(x[i]! - x[j]!);
  const expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
  assert.ok(Math.abs(meanSilhouette(dist, Int32Array.from([0, 0, 1, 1]), 2) - expected) < 1e-15);
  assert.ok(Number.isNaN(meanSilhouette(dist, Int32Array.from([1, 1, 1, 1]), 2)));
});

test('a small far cluster is treated as outliers, not as a mode of the data', async () => {
  const far = [[30, 30], [30.5, 30], [30, 30.5]];
  const X = blobs(2, far);
  const kept = kmeans({ k: 4, seed: 1 });
  await kept.fit(X);
  assert.equal(centres(kept).length, 3);
  const s = await kept.score(fromRows(far));
  assert.ok(s.every((v) => v > 25));
  const all = kmeans({ k: 4, seed: 1, minClusterFraction: 0 });
  await all.fit(X);
  assert.equal(centres(all).length, 4);
  assert.ok((await all.score(fromRows(far))).every((v) => v < 1));
});

test('explain gives squared per-feature differences to the nearest centroid', async () => {
  const d = kmeans({ k: 3, seed: 3 });
  await d.fit(blobs(4));
  const rows = fromRows([[1, 2], [9, -1], [-3, 12]]);
  const e = await d.explain!(rows);
  const s = await d.score(rows);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(e.data[2 * i]! + e.data[2 * i + 1]! - s[i]! ** 2) < 1e-9);
});

test('fewer distinct rows than k still fits', async () => {
  const X = matrix(6, 2);
  X.data.set([1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 5]);
  const d = kmeans({ k: 4, seed: 0 });
  await d.fit(X);
  const s = await d.score(X);
  assert.ok(s.every((v) => Number.isFinite(v) && v < 1e-12));
});
