import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { DataError, OptionsError } from '../core/errors.js';
import { budgetCutoff, costCutoff, cutStats, spanDays } from './cost.js';
import { fitThreshold } from './index.js';

/** Cost of flagging scores above `cut`, by counting. */
function costAt(scores: number[], labels: number[], cut: number, fn: number, fp: number): number {
  let c = 0;
  scores.forEach((s, i) => {
    if (s > cut && !labels[i]) c += fp;
    if (!(s > cut) && labels[i]) c += fn;
  });
  return c;
}

/** The least cost over every possible cut: below all scores, and at each score. */
function bruteForce(scores: number[], labels: number[], fn: number, fp: number): number {
  const cuts = [Math.min(...scores) - 1, ...scores];
  return Math.min(...cuts.map((c) => costAt(scores, labels, c, fn, fp)));
}

test('a hand-built case: the cost threshold takes the cut brute force finds cheapest', () => {
  // Anomalies at 9, 7 and 4; normals at 8, 6, 5, 3, 2, 1. One missed anomaly costs 10, a false alarm 3:
  // flagging down to 7 costs 10 (miss 4) + 3 (8), down to 4 costs 3 x 3 = 9, the cheapest.
  const scores = [9, 8, 7, 6, 5, 4, 3, 2, 1];
  const labels = [1, 0, 1, 0, 0, 1, 0, 0, 0];
  const cut = costCutoff(scores, labels, { fn: 10, fp: 3 });
  assert.ok(cut < 4 && cut > 3, `cut ${cut}`);
  assert.equal(costAt(scores, labels, cut, 10, 3), 9);
  assert.equal(bruteForce(scores, labels, 10, 3), 9);
  // A dear false alarm: flag only 9 (cost 2 x 10 = 20 beats any cut with a false alarm at 100).
  const strict = costCutoff(scores, labels, { fn: 10, fp: 100 });
  assert.equal(costAt(scores, labels, strict, 10, 100), 20);
  assert.ok(strict >= 8 && strict < 9);
});

test('on random labelled scores with ties the cost threshold always matches brute force', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.int(40);
    const labels = Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
    const scores = labels.map((y) => Math.round((rng.normal() + 2 * y) * 4) / 4);
    const fn = 1 + rng.int(50);
    const fp = 1 + rng.int(10);
    const cut = costCutoff(scores, labels, { fn, fp });
    assert.equal(costAt(scores, labels, cut, fn, fp), bruteForce(scores, labels, fn, fp), `trial ${trial}`);
  }
});

test('a budget of 20 alerts a day on a stream of known rate gives 20 a day on a fresh stream of it', () => {
  // One row a minute for 30 days; scores are Exp(1) and the budget is 20 per 1440 rows.
  const rng = new Rng(4);
  const stream = (days: number) => Float64Array.from({ length: days * 1440 }, () => -Math.log(1 - rng.next()));
  const cut = budgetCutoff(stream(30), 20, 30);
  const fresh = stream(60);
  const perDay = cutStats(fresh, cut, { days: 60 }).alertsPerDay!;
  assert.ok(Math.abs(perDay - 20) < 3, `alerts/day on fresh data: ${perDay}`);
  assert.ok(cutStats(stream(30), budgetCutoff(stream(30), 20, 30), { days: 30 }).alerts <= 600);
});

test('cutStats: alerts per day, recall, precision and cost at a cut', () => {
  const s = cutStats([5, 4, 3, 2, 1], 2.5, { labels: [1, 0, 1, 1, 0], days: 0.5, costs: { fn: 10, fp: 1 } });
  assert.deepEqual(s, { cutoff: 2.5, rows: 5, alerts: 3, alertsPerDay: 6, recall: 2 / 3, precision: 2 / 3, falseNegatives: 1, falsePositives: 1, cost: 11 });
  assert.equal(spanDays([0, 86_400_000 * 2, NaN]), 2);
  assert.equal(spanDays([5]), undefined);
});

test('threshold kinds: cost needs labels, budget a time span; bad costs are options errors', () => {
  const scores = Float64Array.from([1, 2, 3, 4]);
  assert.throws(() => fitThreshold({ kind: 'cost', fn: 1, fp: 1 }, scores), /labelled rows/);
  assert.throws(() => fitThreshold({ kind: 'budget', perDay: 1 }, scores), /time span/);
  assert.equal(fitThreshold({ kind: 'budget', perDay: 1 }, scores, { days: 2 }), 2.5);
  assert.throws(() => costCutoff([1], [1], { fn: 0, fp: 1 }), OptionsError);
  assert.throws(() => costCutoff([1, NaN], [1, 0], { fn: 1, fp: 1 }), DataError);
});
