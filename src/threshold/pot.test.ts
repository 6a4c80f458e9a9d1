import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { fitThreshold, potThreshold, thresholdSpecSchema } from './index.js';

/** Seeded samplers: light (exponential, Gaussian) and heavy (Pareto, Student-t) tails. */
const samplers: Record<string, (r: Rng) => number> = {
  exponential: (r) => -Math.log1p(-r.next()),
  'pareto alpha=3': (r) => Math.pow(1 - r.next(), -1 / 3),
  'student-t df=3': (r) => {
    const z = r.normal();
    let chi = 0;
    for (let i = 0; i < 3; i++) chi += r.normal() ** 2;
    return z / Math.sqrt(chi / 3);
  },
  gaussian: (r) => r.normal(),
};

/*
 * The risk test: calibrate on n = 200k draws, count fresh draws above the threshold among m = 200k.
 * At q = 1e-3 about 200 are expected, so counting noise alone is about 7% (Poisson). The fit
 * adds error: N_t/n is estimated from ~4000 peaks (1.6%) and the GPD extrapolates from the 2%
 * tail to 0.1%, where γ's error (±0.02) moves the tail probability by about 5-10%; and the
 * Gaussian and Student-t tails are only asymptotically GPD. Together about 10% (one sd): over 40
 * seeded runs the ratio observed / q ranged 0.82-1.19. A factor of 1.5 is about four sd: it fails
 * for a wrong quantile formula or a broken fit (a factor of 2-10), not for sampling noise.
 */
for (const [name, draw] of Object.entries(samplers)) {
  test(`POT hits the target risk on ${name} scores`, () => {
    const r = new Rng(20170813);
    const q = 1e-3;
    const calibration = Float64Array.from({ length: 200_000 }, () => draw(r));
    const res = potThreshold(calibration, { q, level: 0.98 });
    let above = 0;
    const m = 200_000;
    for (let i = 0; i < m; i++) if (draw(r) > res.threshold) above++;
    const rate = above / m;
    assert.ok(rate > q / 1.5 && rate < q * 1.5, `${name}: rate ${rate}, q ${q}, gamma ${res.gamma}`);
    assert.equal(res.n, 200_000);
    assert.ok(Math.abs(res.peaks - 4000) <= 1, `${res.peaks}`);
  });
}

test('POT recovers the Pareto shape: gamma = 1/alpha', () => {
  const r = new Rng(9);
  const res = potThreshold(Float64Array.from({ length: 100_000 }, () => Math.pow(1 - r.next(), -1 / 2)), { q: 1e-4 });
  assert.ok(Math.abs(res.gamma - 0.5) < 0.08, `${res.gamma}`);
  // Above t a Pareto(alpha) excess is GPD(1/alpha, t/alpha).
  assert.ok(Math.abs(res.sigma / (res.t / 2) - 1) < 0.1, `${res.sigma} ${res.t}`);
});

test('the pot threshold spec: defaults, validation, and fitting through fitThreshold', () => {
  const spec = thresholdSpecSchema.parse({ kind: 'pot' });
  assert.deepEqual(spec, { kind: 'pot', q: 1e-4, level: 0.98 });
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'pot', q: 0 }).success, false);
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'pot', level: 1 }).success, false);
  assert.equal(thresholdSpecSchema.safeParse({ kind: 'pot', q: 1e-3, extra: 1 }).success, false);
  const r = new Rng(2);
  const scores = Float64Array.from({ length: 20_000 }, () => r.normal());
  const t = fitThreshold({ kind: 'pot', q: 1e-3, level: 0.98 }, scores);
  assert.equal(t, potThreshold(scores, { q: 1e-3, level: 0.98 }).threshold);
  // The N(0,1) 0.999 quantile is 3.09.
  assert.ok(t > 2.7 && t < 3.5, `${t}`);
});

test('POT refuses too few peaks and a risk above the peak share, with clear messages', () => {
  const few = Float64Array.from({ length: 200 }, (_, i) => i);
  assert.throws(() => potThreshold(few, { level: 0.98 }), /at least 10 are needed/);
  const r = new Rng(1);
  const many = Float64Array.from({ length: 10_000 }, () => r.normal());
  assert.throws(() => potThreshold(many, { q: 0.05, level: 0.98 }), /q = 0.05 is not below/);
  assert.throws(() => potThreshold([1, Infinity], {}), /must be finite/);
});
