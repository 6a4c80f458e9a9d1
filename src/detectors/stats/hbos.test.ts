import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows } from '../../core/matrix.js';
import { hbos } from './hbos.js';

const L = (p: number) => -Math.log2(p);

test('a hand-computed histogram: bins, edge rule, tolerance outside the range', async () => {
  // Values 0 0 0 1 4 in 4 bins over [0, 4]: counts 3 1 0 1 ([1, 2) holds the 1), width 1,
  // density = count / 5 = 0.6 0.2 0 0.2; each term is -log2(density + 0.1).
  const d = hbos({ nBins: 4 });
  await d.fit(fromRows([[0], [0], [0], [1], [4]]));
  const st = d.getState().arrays;
  assert.deepEqual(Array.from(st['edges']!), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(st['density']!), [0.6, 0.2, 0, 0.2]);
  const queries = [0, 0.5, 1, 1.5, 2.5, 4, 4.4, 4.6, -0.5, -0.6];
  const expected = [
    L(0.7), // the lowest edge belongs to the first bin
    L(0.7),
    L(0.7), // an inner edge is looked up in the bin to its left (PyOD's digitize(right=True))
    L(0.3),
    L(0.1), // the empty bin
    L(0.3),
    L(0.3), // 0.4 bin widths beyond the range: within tol 0.5, so the last bin
    L(0.1), // 0.6 widths beyond: the emptiest bin's term
    L(0.3 + 0.4), // exactly tol below: the first bin
    L(0.1),
  ];
  const s = await d.score(fromRows(queries.map((q) => [q])));
  queries.forEach((q, i) => assert.ok(Math.abs(s[i]! - expected[i]!) < 1e-12, `x = ${q}: ${s[i]} vs ${expected[i]}`));
});

test('features add up; explain gives the per-feature terms', async () => {
  const d = hbos({ nBins: 2 });
  // Feature 0: 0 0 0 2 -> bins [0,1) [1,2] with density 0.75 and 0.25; feature 1: 0 1 2 3 -> bins [0,1.5) [1.5,3]
  // with two values each, density 2 / 1.5 / 4 = 1/3.
  await d.fit(fromRows([[0, 0], [0, 1], [0, 2], [2, 3]]));
  const e = await d.explain!(fromRows([[0.5, 2.5]]));
  assert.ok(Math.abs(e.data[0]! - L(0.85)) < 1e-12);
  assert.ok(Math.abs(e.data[1]! - L(1 / 3 + 0.1)) < 1e-12);
  const [s] = await d.score(fromRows([[0.5, 2.5]]));
  assert.ok(Math.abs(s! - L(0.85) - L(1 / 3 + 0.1)) < 1e-12);
});

test('a constant feature gets numpy\'s unit range and finite scores', async () => {
  const d = hbos({ nBins: 4 });
  await d.fit(fromRows([[5], [5], [5]]));
  assert.deepEqual(Array.from(d.getState().arrays['edges']!), [4.5, 4.75, 5, 5.25, 5.5]);
  const s = await d.score(fromRows([[5], [7]]));
  assert.ok(s.every(Number.isFinite));
  assert.ok(s[1]! >= s[0]!);
});
