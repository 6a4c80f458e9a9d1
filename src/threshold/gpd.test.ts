import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { fitGpd, gpdInverseCdf, gpdLogLikelihood, potQuantile } from './gpd.js';

function sample(n: number, gamma: number, sigma: number, seed: number): Float64Array {
  const r = new Rng(seed);
  return Float64Array.from({ length: n }, () => gpdInverseCdf(r.next(), gamma, sigma));
}

// With n = 5000 the MLE's standard errors are about (1 + γ)/sqrt(n) ≈ 0.017 for γ and
// sqrt(2(1 + γ))σ/sqrt(n) ≈ 0.02σ for σ (Smith 1985); tolerances are 3-4 of those.
for (const [gamma, sigma] of [
  [0.3, 1],
  [0, 2],
  [-0.3, 0.5],
] as const) {
  test(`the GPD fit recovers gamma=${gamma}, sigma=${sigma} from seeded GPD samples`, () => {
    const fit = fitGpd(sample(5000, gamma, sigma, 11));
    assert.ok(Math.abs(fit.gamma - gamma) < 0.06, `gamma ${fit.gamma}`);
    assert.ok(Math.abs(fit.sigma / sigma - 1) < 0.08, `sigma ${fit.sigma}`);
    assert.ok(Math.abs(fit.logLik - gpdLogLikelihood(sample(5000, gamma, sigma, 11), fit.gamma, fit.sigma)) < 1e-6);
  });
}

test('the fit is a maximum of the likelihood: nearby parameters do worse', () => {
  const y = sample(2000, 0.2, 1.5, 3);
  const fit = fitGpd(y);
  const at = gpdLogLikelihood(y, fit.gamma, fit.sigma);
  for (const [dg, ds] of [
    [0.01, 0],
    [-0.01, 0],
    [0, 0.01],
    [0, -0.01],
    [0.01, 0.01],
    [-0.01, -0.01],
  ]) {
    assert.ok(gpdLogLikelihood(y, fit.gamma + dg, fit.sigma * (1 + ds)) < at, `${dg} ${ds}`);
  }
});

test('a warm start from a previous solution lands on the same fit as a full search', () => {
  const y = sample(3000, 0.1, 1, 5);
  const full = fitGpd(y);
  const more = Float64Array.from([...y, 0.7, 2.5]);
  const cold = fitGpd(more);
  const warm = fitGpd(more, full.x);
  assert.ok(Math.abs(cold.gamma - warm.gamma) < 1e-7 && Math.abs(cold.sigma - warm.sigma) < 1e-7, `${cold.gamma} ${warm.gamma}`);
});

test('potQuantile is continuous through gamma = 0 (the exponential limit)', () => {
  const t = 2;
  const exp = potQuantile(t, { gamma: 0, sigma: 1 }, 1e-4, 10000, 200);
  assert.ok(Math.abs(exp - (2 - Math.log(1e-4 * 10000 / 200))) < 1e-12);
  assert.ok(Math.abs(potQuantile(t, { gamma: 1e-12, sigma: 1 }, 1e-4, 10000, 200) - exp) < 1e-9);
  // Pareto check: GPD(γ, σ) tail prob at the quantile is q n / N_t.
  const g = 0.5;
  const z = potQuantile(0, { gamma: g, sigma: 1 }, 1e-3, 1000, 100);
  assert.ok(Math.abs(Math.pow(1 + (g * z) / 1, -1 / g) - (1e-3 * 1000) / 100) < 1e-12);
});

test('a GPD fit needs positive excesses', () => {
  assert.throws(() => fitGpd([1, 2, -1]), /must be finite and > 0/);
  assert.throws(() => fitGpd([1]), /at least 2/);
});
