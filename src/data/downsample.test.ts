import assert from 'node:assert/strict';
import test from 'node:test';
import { Rng } from '../core/random.js';
import { downsample, type SamplePoint } from './downsample.js';

function series(n: number, seed: number): SamplePoint[] {
  const rng = new Rng(seed);
  const rnd = (): number => rng.next();
  return Array.from({ length: n }, (_, i) => {
    const anomaly = rnd() < 0.002;
    const v = Math.sin(i / 500) + rnd() * 0.1 + (anomaly ? 5 : 0);
    return { t: 1_000_000 + i * 1000, values: { value: v }, score: anomaly ? 9 : rnd(), anomaly, threshold: 3 };
  });
}

test('100,000 points in 1,000 columns: at most two rows a column plus one per anomaly, every anomaly kept exactly', () => {
  const pts = series(100_000, 7);
  const anomalies = pts.filter((p) => p.anomaly);
  assert.ok(anomalies.length > 50);
  const rows = downsample(pts, pts[0]!.t, pts.at(-1)!.t, 1000);
  assert.ok(rows.length <= 2 * 1000 + anomalies.length, `${rows.length} rows`);
  const kept = rows.filter((r) => r.anomaly);
  assert.deepEqual(
    kept.map((r) => [r.t, r.values['value'], r.score]),
    anomalies.map((p) => [p.t, p.values['value'], p.score]),
  );
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i]!.t >= rows[i - 1]!.t, 'rows in time order');
});

test("each column keeps its normal points' smallest and largest value and largest score", () => {
  const pts = series(100_000, 11).filter((p) => !p.anomaly);
  const from = pts[0]!.t;
  const to = pts.at(-1)!.t;
  const rows = downsample(pts, from, to, 100);
  const values = pts.map((p) => p.values['value']!);
  const drawn = rows.map((r) => r.values['value']!);
  assert.equal(Math.max(...drawn), Math.max(...values));
  assert.equal(Math.min(...drawn), Math.min(...values));
  // The first column's extremes, checked against a direct scan.
  const span = to - from + 1;
  const first = pts.filter((p) => Math.floor(((p.t - from) / span) * 100) === 0);
  const firstRows = rows.filter((r) => r.t <= first.at(-1)!.t);
  assert.equal(firstRows.length, 2);
  assert.deepEqual(
    firstRows.map((r) => r.values['value']).sort(),
    [Math.min(...first.map((p) => p.values['value']!)), Math.max(...first.map((p) => p.values['value']!))].sort(),
  );
  assert.equal(firstRows[0]!.score, Math.max(...first.map((p) => p.score!)));
});

test('channels are reduced each on its own; a column of one point is one row; no points, no rows', () => {
  const pts: SamplePoint[] = [
    { t: 0, values: { a: 1, b: 10 }, score: 0.1, anomaly: false, threshold: null },
    { t: 1, values: { a: 5, b: 2 }, score: null, anomaly: false, threshold: null },
    { t: 2, values: { a: 3, b: 7 }, score: 0.3, anomaly: false, threshold: 1 },
    { t: 99, values: { a: 0, b: 0 }, score: 0.2, anomaly: false, threshold: 1 },
  ];
  const rows = downsample(pts, 0, 99, 10);
  assert.deepEqual(rows, [
    { t: 0, values: { a: 1, b: 10 }, score: 0.3, threshold: 1, anomaly: false },
    { t: 2, values: { a: 5, b: 2 }, score: 0.3, threshold: 1, anomaly: false },
    { t: 99, values: { a: 0, b: 0 }, score: 0.2, threshold: 1, anomaly: false },
  ]);
  assert.deepEqual(downsample([], 0, 99, 10), []);
});
