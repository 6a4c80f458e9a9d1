import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/random.js';
import { matrix, type Matrix } from '../../../core/matrix.js';
import { detectPeriod } from './period.js';
import { seasonal } from './seasonal.js';

function series(n: number, f: (t: number, rng: Rng) => number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = matrix(n, 1);
  for (let t = 0; t < n; t++) m.data[t] = f(t, rng);
  return m;
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

test('a daily season sampled every 5 minutes is period 288, not the 2-5 that noise near lag 0 gave', () => {
  for (const seed of SEEDS) {
    // Ten days of a noisy daily sine with a slow drift (the trend used to pull the ACF too).
    const s = series(2880, (t, r) => Math.sin((2 * Math.PI * t) / 288) + 0.3 * r.normal() + 0.0002 * t, seed);
    const { period } = detectPeriod(s);
    assert.ok(Math.abs(period - 288) <= 1, `seed ${seed}: period ${period}`);
  }
  // A business-hours step rather than a sine, two weeks, on a rising trend.
  const office = series(4032, (t, r) => ((t % 288) / 12 > 8 && (t % 288) / 12 < 18 ? 5 : 0) + r.normal() + 0.001 * t, 9);
  assert.equal(detectPeriod(office).period, 288);
});

test('hourly data with a daily season is period 24; daily data with a weekend dip is period 7', () => {
  for (const seed of SEEDS) {
    assert.equal(detectPeriod(series(24 * 30, (t, r) => 3 * Math.sin((2 * Math.PI * t) / 24) + r.normal(), seed)).period, 24, `seed ${seed}`);
    assert.equal(detectPeriod(series(7 * 26, (t, r) => (t % 7 >= 5 ? 4 : 10) + r.normal(), seed)).period, 7, `seed ${seed}`);
  }
});

test('no season: white noise and noise on a linear trend are period 1', () => {
  for (const seed of SEEDS) {
    assert.equal(detectPeriod(series(1000, (_, r) => r.normal(), seed)).period, 1, `white noise, seed ${seed}`);
    assert.equal(detectPeriod(series(1000, (t, r) => 0.01 * t + r.normal(), seed)).period, 1, `trend, seed ${seed}`);
  }
});

test('seasonal fits the found period and its state says so', async () => {
  const s = series(2880, (t, r) => Math.sin((2 * Math.PI * t) / 288) + 0.3 * r.normal(), 4);
  const d = seasonal();
  await d.fit(s);
  assert.equal(d.getState().params['period'], 288);
});
