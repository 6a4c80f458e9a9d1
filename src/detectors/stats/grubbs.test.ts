import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows } from '../../core/matrix.js';
import { esdCritical } from './esd.js';
import { grubbs, iteratedGrubbs } from './grubbs.js';
import { generalizedEsd } from './gesd.js';

/**
 * Seven values with mean 0: s^2 = (4 + 4 + 1 + 1 + 1 + 1 + 64) / 6 = 76 / 6, so
 * G_1 = 8 / sqrt(76 / 6) = 2.2478 > 2.020 (Grubbs' table, n = 7, two-sided 0.05): 8 goes.
 * The rest have mean -4/3 and s^2 = (2 (2/3)^2 + 4 (1/3)^2) / 5 = 4/15, so
 * G_2 = (2/3) / sqrt(4/15) = sqrt(15) / 3 = 1.2910 < 1.887 (n = 6): the test stops.
 */
const SMALL = [-2, -2, -1, -1, -1, -1, 8];

test('Grubbs critical values match the published table (two-sided, alpha 0.05)', () => {
  const table: [number, string][] = [[4, '1.481'], [5, '1.715'], [6, '1.887'], [7, '2.020'], [9, '2.215'], [10, '2.290']];
  for (const [n, g] of table) assert.equal(esdCritical(n, 0.05).toFixed(3), g, `n = ${n}`);
});

test('iterated Grubbs on a hand-checked sample', () => {
  const r = iteratedGrubbs(SMALL, { alpha: 0.05 });
  assert.equal(r.outliers, 1);
  assert.equal(r.steps.length, 2);
  assert.equal(r.steps[0]!.index, 6);
  assert.ok(Math.abs(r.steps[0]!.R - 8 / Math.sqrt(76 / 6)) < 1e-12);
  assert.ok(Math.abs(r.steps[1]!.R - Math.sqrt(15) / 3) < 1e-12);
  assert.ok(r.steps[0]!.R > r.steps[0]!.lambda && r.steps[1]!.R < r.steps[1]!.lambda);
});

test('the grubbs detector scores against the sample without 8', async () => {
  const d = grubbs();
  await d.fit(fromRows(SMALL.map((v) => [v])));
  const st = d.getState();
  assert.equal((st.arrays['clean'] as Int32Array)[0], 6);
  assert.ok(Math.abs((st.arrays['mean'] as Float64Array)[0]! + 4 / 3) < 1e-12);
  assert.ok(Math.abs((st.arrays['sd'] as Float64Array)[0]! - Math.sqrt(4 / 15)) < 1e-12);
  const [s] = await d.score(fromRows([[8]]));
  assert.ok(Math.abs(s! - (8 + 4 / 3) / Math.sqrt(4 / 15)) < 1e-12);
});

test('iterated Grubbs is masked where the generalized ESD is not', () => {
  // Three equal far values inflate s enough that none is significant while the others remain.
  const values = [...Array.from({ length: 20 }, (_, i) => (i % 5) - 2), 12, 12, 12];
  assert.equal(iteratedGrubbs(values).outliers, 0);
  assert.equal(generalizedEsd(values, { maxOutliers: 4 }).outliers, 3);
});
