import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { DataError } from '../core/errors.js';
import { calibrationStateSchema, exceedanceOf, ksUniform, exceedances, fitCalibration, scoreAtExceedance } from './calibration.js';
import { fitThreshold } from './index.js';

const draws: Record<string, (r: Rng) => number> = {
  exponential: (r) => -Math.log(1 - r.next()),
  normal: (r) => r.normal(),
  pareto: (r) => Math.pow(1 - r.next(), -1 / 3),
  uniform: (r) => r.next(),
};

function sample(draw: (r: Rng) => number, n: number, seed: number): Float64Array {
  const r = new Rng(seed);
  return Float64Array.from({ length: n }, () => draw(r));
}

test('p-values of fresh draws from the calibration distribution are uniform (KS below the 1% critical value)', () => {
  for (const [name, draw] of Object.entries(draws)) {
    const c = fitCalibration(sample(draw, 2000, 1));
    const ks = ksUniform(exceedances(c, sample(draw, 4000, 2)));
    // Two-sample KS critical value at 1%: 1.63 sqrt(1/2000 + 1/4000) = 0.0446.
    assert.ok(ks < 0.0446, `${name}: KS ${ks.toFixed(4)}`);
  }
});

test('p is in (0, 1], 1 below the smallest score, and never increases with the score', () => {
  const scores = sample(draws.normal!, 500, 3);
  const c = fitCalibration(scores);
  assert.equal(exceedanceOf(c, -10), 1);
  let prev = 1;
  for (let x = -5; x < 40; x += 0.01) {
    const p = exceedanceOf(c, x);
    assert.ok(p > 0 && p <= 1 && p <= prev, `p(${x}) = ${p} after ${prev}`);
    prev = p;
  }
  assert.ok(Number.isNaN(exceedanceOf(c, NaN)));
  assert.ok(exceedanceOf(c, Infinity) > 0);
});

test('beyond the largest score the tail keeps falling smoothly below 1/n, close to the true tail', () => {
  const n = 5000;
  const scores = sample(draws.exponential!, n, 4);
  const c = fitCalibration(scores);
  const max = scores.reduce((a, b) => Math.max(a, b));
  const atMax = exceedanceOf(c, max);
  assert.ok(atMax < 5 / n && atMax > 0.05 / n, `p(max) = ${atMax}`);
  let prev = atMax;
  for (let x = max + 0.05; x < max + 10; x += 0.05) {
    const p = exceedanceOf(c, x);
    assert.ok(p < prev, 'strictly decreasing past the data');
    assert.ok(p / prev > 0.9, `no jump: p(${x}) / p(${x - 0.05}) = ${p / prev}`);
    prev = p;
  }
  assert.ok(prev < 0.1 / n, `far past the data, p = ${prev}`);
  // Exp(1): P(S >= 10) = 4.5e-5, past the largest of 5000 draws. Over ten samples the GPD tail's
  // estimate is within a factor 10 each time and a factor 3 in the median (it errs high: see fitCalibration).
  const ratios = Array.from({ length: 10 }, (_, seed) => exceedanceOf(fitCalibration(sample(draws.exponential!, n, 20 + seed)), 10) / Math.exp(-10));
  for (const r of ratios) assert.ok(r > 0.1 && r < 10, `estimate / true at 10: ${ratios.map((x) => x.toFixed(2)).join(' ')}`);
  const median = ratios.sort((a, b) => a - b)[5]!;
  assert.ok(median > 1 / 3 && median < 3, `median estimate / true ${median}`);
  // No jump where the tail takes over from the body.
  assert.ok(Math.abs(exceedanceOf(c, c.t - 1e-9) - exceedanceOf(c, c.t + 1e-9)) < 1e-6);
});

test('a bounded tail is extended exponentially, never to p = 0', () => {
  const c = fitCalibration(sample(draws.uniform!, 1000, 5));
  assert.equal(c.gamma, 0);
  assert.ok(exceedanceOf(c, 1.5) > 0 && exceedanceOf(c, 1.5) < exceedanceOf(c, 1.01));
});

test('the state is plain JSON: a round trip gives the same p-values', () => {
  const scores = sample(draws.pareto!, 800, 6);
  const c = fitCalibration(scores);
  const back = calibrationStateSchema.parse(JSON.parse(JSON.stringify(c)));
  const probe = Float64Array.from({ length: 200 }, (_, i) => i * 0.2);
  assert.deepEqual(exceedances(back, probe), exceedances(c, probe));
  assert.ok(c.knots.length <= 257);
});

test('scoreAtExceedance inverts exceedanceOf in the body and the tail', () => {
  const c = fitCalibration(sample(draws.normal!, 3000, 7));
  for (const p of [0.9, 0.5, 0.1, 0.03, 1e-2, 1e-4, 1e-7]) {
    const s = scoreAtExceedance(c, p);
    assert.ok(Math.abs(exceedanceOf(c, s) - p) < 1e-9 + 1e-6 * p, `p ${p}: ${exceedanceOf(c, s)}`);
  }
});

test('the exceedance threshold flags fresh normal rows at about its rate', () => {
  const cut = fitThreshold({ kind: 'exceedance', p: 0.01 }, sample(draws.normal!, 4000, 8));
  const fresh = sample(draws.normal!, 20000, 9);
  const rate = fresh.filter((s) => s > cut).length / fresh.length;
  assert.ok(rate > 0.007 && rate < 0.013, `rate ${rate}`);
});

test('too few or non-finite scores are a DataError', () => {
  assert.throws(() => fitCalibration(new Float64Array(20)), DataError);
  assert.throws(() => fitCalibration(Float64Array.from({ length: 100 }, () => NaN)), DataError);
  assert.throws(() => scoreAtExceedance(fitCalibration(sample(draws.normal!, 100, 1)), 0), DataError);
});
