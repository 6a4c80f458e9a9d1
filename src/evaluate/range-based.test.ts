import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusion, prf } from './metrics.js';
import { positionalWeight, rangeBasedFromRanges, rangeBasedPRF, rangePrecision, rangeRecall, type PositionalBias } from './range-based.js';
import type { Range } from './ranges.js';

const close = (a: number, b: number, msg = ''): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b} ${msg}`);

/*
 * Worked example A, by hand from the paper's definitions. Real R1 = [2, 5] (4 rows), predicted
 * P1 = [4, 7] (4 rows); they share rows 4 and 5, which are positions 3-4 of R1 and 1-2 of P1.
 *   recall, flat:   ω = 2/4 = 0.5;                    with α = 0.5: 0.5·1 + 0.5·0.5 = 0.75
 *   recall, front:  δ = 4,3,2,1 -> (2 + 1)/10 = 0.3;  back: δ = 1,2,3,4 -> (3 + 4)/10 = 0.7
 *   recall, middle: δ = 1,2,2,1 -> (2 + 1)/6 = 0.5
 *   precision, front: positions 1-2 of P1 -> (4 + 3)/10 = 0.7; back: (1 + 2)/10 = 0.3
 */
test('worked example A: existence, overlap and every positional bias', () => {
  const R: Range[] = [[2, 5]];
  const P: Range[] = [[4, 7]];
  close(rangeRecall(R, P), 0.5);
  close(rangeRecall(R, P, { alpha: 0.5 }), 0.75);
  close(rangeRecall(R, P, { alpha: 1 }), 1);
  close(rangeRecall(R, P, { bias: 'front' }), 0.3);
  close(rangeRecall(R, P, { bias: 'back' }), 0.7);
  close(rangeRecall(R, P, { bias: 'middle' }), 0.5);
  close(rangePrecision(R, P), 0.5);
  close(rangePrecision(R, P, { bias: 'front' }), 0.7);
  close(rangePrecision(R, P, { bias: 'back' }), 0.3);
});

/*
 * Worked example B, fragmentation. R1 = [0, 9] is hit by P1 = [0, 1] and P2 = [5, 6].
 *   recall: Σ ω = 2/10 + 2/10 = 0.4; γ = 1/x with x = 2 -> 0.2; γ = 1 -> 0.4
 *   precision: each P_j lies inside R1 and overlaps one real range -> 1 each, mean 1
 *   F1 (defaults) = 2·1·0.2 / 1.2 = 1/3
 * A missed range R2 = [20, 22] halves recall (mean over real ranges); a false range P3 = [30, 31]
 * takes precision to 2/3 (mean over predicted ranges).
 */
test('worked example B: cardinality, and the means over real and predicted ranges', () => {
  const R: Range[] = [[0, 9]];
  const P: Range[] = [
    [0, 1],
    [5, 6],
  ];
  close(rangeRecall(R, P), 0.2);
  close(rangeRecall(R, P, { cardinality: 'one' }), 0.4);
  close(rangePrecision(R, P), 1);
  close(rangeBasedFromRanges(R, P, 40).f1, 1 / 3);
  const R2: Range[] = [...R, [20, 22]];
  const P3: Range[] = [...P, [30, 31]];
  close(rangeRecall(R2, P), 0.1);
  close(rangePrecision(R2, P3), 2 / 3);
  // alpha = 1 is pure existence: one of two real ranges found.
  close(rangeRecall(R2, P, { alpha: 1 }), 0.5);
});

test('one predicted range spanning two real ranges is penalised in precision by 1/x', () => {
  const R: Range[] = [
    [0, 1],
    [4, 5],
  ];
  const P: Range[] = [[0, 5]];
  // ω(P1) = (2 + 2)/6 = 2/3, times 1/2 for overlapping two real ranges.
  close(rangePrecision(R, P), 1 / 3);
  close(rangePrecision(R, P, { cardinality: 'one' }), 2 / 3);
  close(rangeRecall(R, P), 1);
});

test('with single-point ranges, alpha 0, flat bias and gamma 1 it is classical precision and recall', () => {
  const labels = [0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0];
  const preds = [0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0];
  const classical = prf(confusion(labels, preds));
  const ours = rangeBasedPRF(labels, preds, { recall: { cardinality: 'one' }, precision: { cardinality: 'one' } });
  close(ours.precision, classical.precision);
  close(ours.recall, classical.recall);
  close(ours.f1, classical.f1);
});

test('the closed-form positional weights equal the paper loop for every bias and overlap', () => {
  // ω as the paper's pseudocode: sum δ over overlapped positions / sum δ over all positions.
  const loop = (r: Range, o: Range, bias: PositionalBias): number => {
    const len = r[1] - r[0] + 1;
    let all = 0;
    let mine = 0;
    for (let i = 1; i <= len; i++) {
      const w = positionalWeight(bias, i, len);
      all += w;
      if (r[0] + i - 1 >= o[0] && r[0] + i - 1 <= o[1]) mine += w;
    }
    return mine / all;
  };
  for (const bias of ['flat', 'front', 'back', 'middle'] as const) {
    for (let len = 1; len <= 9; len++) {
      for (let a = 0; a < len; a++) {
        for (let b = a; b < len; b++) {
          const r: Range = [10, 10 + len - 1];
          const p: Range = [10 + a, 10 + b];
          close(rangeRecall([r], [p], { bias }), loop(r, p, bias), `${bias} ${len} ${a} ${b}`);
        }
      }
    }
  }
});

test('empty sides score 0, and overlapping user ranges are still handled', () => {
  assert.deepEqual(rangeBasedPRF([0, 0, 0], [0, 1, 0]), { precision: 0, recall: 0, f1: 0, realRanges: 0, predictedRanges: 1 });
  assert.equal(rangeRecall([[0, 3]], []), 0);
  // Predicted ranges given by hand may overlap each other; they are searched by a scan then.
  close(rangeRecall([[0, 3]], [[0, 1], [1, 2]], { cardinality: 'one' }), 1);
  assert.throws(() => rangeBasedPRF([0, 1], [1]), /2 labels but 1 predictions/);
});
