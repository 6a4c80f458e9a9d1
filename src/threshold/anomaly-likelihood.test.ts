import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../core/errors.js';
import { normalSf } from '../core/distributions.js';
import { Rng } from '../core/random.js';
import { AnomalyLikelihood } from './anomaly-likelihood.js';

test('normalSf matches tabulated normal tail probabilities', () => {
  const table: [number, number][] = [
    [0, 0.5],
    [1, 0.15865525393145707],
    [2, 0.022750131948179195],
    [3, 0.0013498980316301035],
    [5, 2.866515718791939e-7],
    [-1, 0.8413447460685429],
  ];
  for (const [z, p] of table) assert.ok(Math.abs(normalSf(z) - p) <= 1e-9 * Math.max(1, p / 1e-7), `Q(${z}) = ${normalSf(z)}, want ${p}`);
});

test('likelihood is 0.5 through learning and estimation, then the tail of the recent mean against the fitted normal', () => {
  const al = new AnomalyLikelihood({ learning: 5, estimation: 15 });
  const got: number[] = [];
  for (let t = 0; t < 20; t++) got.push(al.update(0));
  assert.deepEqual(got, new Array(20).fill(0.5));
  // History: 15 running means of zeros after the learning steps: mean 0 -> 0.03, variance 0 -> 0.0003 (the floors).
  const l = al.update(1);
  const want = 1 - normalSf((1 / 10 - 0.03) / Math.sqrt(0.0003));
  assert.ok(Math.abs(l - want) < 1e-12, `${l} vs ${want}`);
  assert.ok(l > 0.9999);
});

test('a run of extreme tails counts once: the next ones are held at 1e-3', () => {
  const al = new AnomalyLikelihood({ learning: 0, estimation: 50, reestimation: 1000 });
  for (let t = 0; t < 50; t++) al.update(0);
  // Recent means 0.1, 0.2, 0.3, 0.4 against the floors (mean 0.03, sd 0.0173): tails 2.7e-5, then below 1e-5.
  const [a, b, c, d] = [al.update(1), al.update(1), al.update(1), al.update(1)];
  assert.ok(1 - a > 1e-5 && 1 - a < 1e-4, `not yet extreme: ${1 - a}`);
  assert.ok(1 - b < 1e-5, `first extreme tail ${1 - b}`);
  assert.ok(c === 0.999 && d === 0.999, `${c} ${d}`);
  assert.ok(AnomalyLikelihood.logScore(b) > 0.5 && Math.abs(AnomalyLikelihood.logScore(c) - 0.3) < 1e-6);
});

test('scores at their usual level stay unremarkable; a lasting rise is flagged, and becomes usual once refitted', () => {
  const rng = new Rng(3);
  const al = AnomalyLikelihood.forProbation(300);
  let highBefore = 0;
  for (let t = 0; t < 2000; t++) if (al.update(rng.next() < 0.1 ? 1 : 0) > 0.9999) highBefore++;
  let flagged = 0;
  for (let t = 0; t < 20; t++) if (al.update(1) > 0.9999) flagged++;
  assert.ok(highBefore <= 2, `${highBefore} extreme likelihoods on ordinary scores`);
  assert.ok(flagged >= 1, 'a run of maximal raw scores is extreme');
  // A low stretch is not an anomaly: the upper tail is used as is (see the module comment).
  const quiet = AnomalyLikelihood.forProbation(300);
  for (let t = 0; t < 1000; t++) quiet.update(0.5 + 0.1 * rng.normal());
  assert.ok(quiet.update(0) < 0.5);
});

test('the history is bounded and forgets: after `history` steps only the recent level counts', () => {
  const rng = new Rng(5);
  const short = new AnomalyLikelihood({ learning: 0, estimation: 10, history: 200, reestimation: 10 });
  const long = new AnomalyLikelihood({ learning: 0, estimation: 10, history: 8640, reestimation: 10 });
  const scores = [...new Array(2000).fill(0.02), ...Array.from({ length: 400 }, () => (rng.next() < 0.5 ? 1 : 0))];
  let s = 0;
  let l = 0;
  for (const v of scores) {
    s = short.update(v);
    l = long.update(v);
  }
  // The short history knows only the new level (means near 0.5); the long one still mostly remembers 0.02.
  assert.ok(s < 0.9 && l > 0.95, `short ${s}, long ${l}`);
});

test('bad settings are rejected', () => {
  assert.throws(() => new AnomalyLikelihood({ learning: -1, estimation: 10 }), OptionsError);
  assert.throws(() => new AnomalyLikelihood({ learning: 0, estimation: 0 }), /estimation must be a whole number >= 1/);
  assert.throws(() => new AnomalyLikelihood({ learning: 0, estimation: 5, averaging: 10, history: 5 }), /history/);
  const state = new AnomalyLikelihood({ learning: 0, estimation: 5 }).toJSON();
  assert.throws(() => AnomalyLikelihood.fromJSON({ ...state, steps: 3 }), /inconsistent state/);
});

test('peek judges without learning; a JSON round trip continues identically', () => {
  const rng = new Rng(8);
  const scores = Array.from({ length: 900 }, (_, t) => (rng.next() < 0.05 || (t > 700 && t < 720) ? 1 : 0.1 * rng.next()));
  const a = new AnomalyLikelihood({ learning: 50, estimation: 50, history: 300, reestimation: 37 });
  const b = new AnomalyLikelihood({ learning: 50, estimation: 50, history: 300, reestimation: 37 });
  for (const cut of [0, 99, 100, 450]) {
    const x = new AnomalyLikelihood({ learning: 50, estimation: 50, history: 300, reestimation: 37 });
    for (const v of scores.slice(0, cut)) x.update(v);
    const y = AnomalyLikelihood.fromJSON(JSON.parse(JSON.stringify(x.toJSON())));
    for (const v of scores.slice(cut)) assert.equal(y.update(v), x.update(v), `cut ${cut}`);
  }
  for (const v of scores) {
    const p = a.peek(v);
    assert.equal(a.peek(v), p);
    assert.equal(a.update(v), p);
    b.update(v);
  }
  assert.equal(a.update(0.5), b.update(0.5), 'peeking changed nothing');
});
