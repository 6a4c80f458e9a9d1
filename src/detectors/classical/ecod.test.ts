import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, selectRows } from '../../core/matrix.js';
import { plantedOutliers } from '../../testing/synthetic.js';
import { ecod } from './ecod.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('a hand-computed example: ties, both tails, beyond the range, a constant feature', async () => {
  // Feature 0: 1 2 3 4 10, right-skewed, so its skewness-chosen tail is the right one.
  // Feature 1: constant, skewness 0, where PyOD's sign formula adds both tails.
  // n = 5; tail probabilities are (count + 1) / 6.
  const d = ecod();
  await d.fit(fromRows([[1, 0], [2, 0], [3, 0], [4, 0], [10, 0]]));
  const L = Math.log;
  const e = await d.explain!(fromRows([[3, 0], [20, 1], [-5, -1], [10, 0]]));
  const want = [
    // 3: 3 values <= 3 and 3 values >= 3 -> both tails 4/6; constant feature hit exactly -> 0.
    [L(6 / 4), 0],
    // 20: none >= 20 -> right tail 1/6; 1 on the constant feature: right tail 1/6, left 6/6.
    [L(6), L(6)],
    // -5: none <= -5 -> left tail 1/6 (the max picks it though skewness prefers the right tail).
    [L(6), L(6)],
    // 10, the training maximum: 1 value >= 10 -> right tail 2/6.
    [L(3), 0],
  ];
  want.forEach((row, i) => row.forEach((w, j) => close(e.data[i * 2 + j]!, w, `row ${i} feature ${j}`)));
  const s = await d.score(fromRows([[3, 0], [20, 1]]));
  close(s[0]!, L(1.5), 'score 0');
  close(s[1]!, 2 * L(6), 'score 1');
});

test('a skewed feature still scores the larger tail on both sides (max of the three terms)', async () => {
  const d = ecod();
  await d.fit(fromRows([[-10], [1], [2], [3], [4]]));
  // 2: 3 values <= 2 -> left 4/6, 3 values >= 2 -> right 4/6; max(us, ul, ur) = log 1.5 either way.
  // -20: left tail 1/6.
  const s = await d.score(fromRows([[2], [-20], [20]]));
  close(s[0]!, Math.log(1.5), 'middle');
  close(s[1]!, Math.log(6), 'below the range');
  close(s[2]!, Math.log(6), 'above the range');
});

test('inductive: a row scores the same alone or in any batch', async () => {
  const { X } = plantedOutliers({ rows: 150, seed: 4 });
  const d = ecod();
  await d.fit(selectRows(X, Array.from({ length: 100 }, (_, i) => i)));
  const Q = selectRows(X, Array.from({ length: 50 }, (_, i) => 100 + i));
  const whole = await d.score(Q);
  for (let i = 0; i < Q.rows; i++) assert.equal((await d.score(selectRows(Q, [i])))[0], whole[i]);
  assert.ok(whole.every((v) => Number.isFinite(v) && v >= 0));
});
