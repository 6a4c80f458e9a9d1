import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows } from '../../core/matrix.js';
import { mean, std } from '../../core/stats.js';
import { gesd, generalizedEsd } from './gesd.js';
import { esdCritical, esdPValue, type CleanSampleDetector } from './esd.js';

/** Rosner (1983)'s 54 values, as in the NIST/SEMATECH e-Handbook, section 1.3.5.17.3. */
const ROSNER = [
  -0.25, 0.68, 0.94, 1.15, 1.2, 1.26, 1.26, 1.34, 1.38, 1.43, 1.49, 1.49, 1.55, 1.56, 1.58, 1.65, 1.69, 1.7, 1.76,
  1.77, 1.81, 1.91, 1.94, 1.96, 1.99, 2.06, 2.09, 2.1, 2.14, 2.15, 2.23, 2.24, 2.26, 2.35, 2.37, 2.4, 2.47, 2.54,
  2.62, 2.64, 2.9, 2.92, 2.92, 2.93, 3.21, 3.26, 3.3, 3.59, 3.68, 4.3, 4.64, 5.34, 5.42, 6.01,
];

/**
 * The handbook's table for maxOutliers 10, alpha 0.05. Its figures are truncated, not rounded,
 * to 3 decimals (R_2 is 2.94297 and prints as 2.942; lambda_1 is 3.15879 and prints as 3.158),
 * so each computed value must lie in [printed, printed + 0.001).
 */
const NIST_R = [3.118, 2.942, 3.179, 2.81, 2.815, 2.848, 2.279, 2.31, 2.101, 2.067];
const NIST_LAMBDA = [3.158, 3.151, 3.143, 3.136, 3.128, 3.12, 3.111, 3.103, 3.094, 3.085];
const NIST_REMOVED = [6.01, 5.42, 5.34, 4.64, -0.25, 4.3, 3.68, 3.59, 0.68, 3.3];

function agreesTruncated(actual: number, printed: number, what: string): void {
  assert.ok(actual >= printed - 1e-12 && actual < printed + 0.001, `${what}: ${actual} does not print as ${printed}`);
}

test('generalized ESD reproduces Rosner / NIST: 3 outliers, R and lambda at every step', () => {
  const r = generalizedEsd(ROSNER, { maxOutliers: 10, alpha: 0.05 });
  assert.equal(r.steps.length, 10);
  assert.equal(r.outliers, 3);
  r.steps.forEach((s, i) => {
    assert.equal(s.value, NIST_REMOVED[i], `value removed at step ${i + 1}`);
    assert.equal(ROSNER[s.index], s.value);
    assert.equal(s.size, 54 - i);
    agreesTruncated(s.R, NIST_R[i]!, `R_${i + 1}`);
    agreesTruncated(s.lambda, NIST_LAMBDA[i]!, `lambda_${i + 1}`);
  });
  // Step 3 is the last significant one although step 2 is not: the masking GESD guards against.
  assert.deepEqual(
    r.steps.map((s) => s.R > s.lambda),
    [false, false, true, false, false, false, false, false, false, false],
  );
});

test('step p-values sit on the same scale as the critical values', () => {
  const r = generalizedEsd(ROSNER, { maxOutliers: 10, alpha: 0.05 });
  for (const s of r.steps) assert.equal(s.pValue < 0.05, s.R > s.lambda, `step of size ${s.size}`);
  // At R = lambda the p-value is alpha: the p-value inverts the critical-value formula exactly.
  for (const m of [5, 20, 54, 1000]) {
    for (const a of [0.05, 0.01, 1e-4]) {
      const p = esdPValue(esdCritical(m, a), m);
      assert.ok(Math.abs(p - a) < 1e-9 * a, `m = ${m}, alpha = ${a}: p = ${p}`);
    }
  }
  // The largest R a sample of m can reach is (m - 1) / sqrt(m), where the p-value is 0.
  assert.equal(esdPValue(53 / Math.sqrt(54), 54), 0);
});

test('gesd detector keeps the sample without its outliers and scores against it', async () => {
  const X = fromRows(ROSNER.map((v) => [v]));
  const d = gesd({ maxOutliers: 10 / 54 + 1e-9 });
  await d.fit(X);
  const clean = ROSNER.slice(0, 51);
  const st = d.getState();
  assert.equal((st.arrays['clean'] as Int32Array)[0], 51);
  assert.ok(Math.abs((st.arrays['mean'] as Float64Array)[0]! - mean(clean)) < 1e-12);
  assert.ok(Math.abs((st.arrays['sd'] as Float64Array)[0]! - std(clean, 1)) < 1e-12);
  const s = await d.score(fromRows([[mean(clean) + 2 * std(clean, 1)], [6.01]]));
  assert.ok(Math.abs(s[0]! - 2) < 1e-12);
  assert.ok(Math.abs(s[1]! - (6.01 - mean(clean)) / std(clean, 1)) < 1e-12);
});

test('natural threshold: a value there would make Grubbs reject on the clean sample plus that value', async () => {
  const values = ROSNER.slice(0, 51);
  const d = gesd({ alpha: 0.05 }) as CleanSampleDetector;
  await d.fit(fromRows(values.map((v) => [v])));
  const cut = d.naturalThreshold();
  const mu = mean(values);
  const sd = std(values, 1);
  const x = mu + cut * sd;
  const joined = [...values, x];
  const R = (x - mean(joined)) / std(joined, 1);
  assert.ok(Math.abs(R - esdCritical(52, 0.05)) < 1e-9, `R ${R} vs lambda ${esdCritical(52, 0.05)}`);
  const p = await d.pValues(fromRows([[x], [mu]]));
  assert.ok(Math.abs(p[0]! - 0.05) < 1e-9);
  assert.equal(p[1], 1);
});

test('the threshold is split over features (Bonferroni)', async () => {
  const values = ROSNER.slice(0, 51);
  const one = gesd() as CleanSampleDetector;
  const three = gesd() as CleanSampleDetector;
  await one.fit(fromRows(values.map((v) => [v])));
  await three.fit(fromRows(values.map((v) => [v, v, v])));
  const single = gesd({ alpha: 0.05 / 3 }) as CleanSampleDetector;
  await single.fit(fromRows(values.map((v) => [v])));
  assert.ok(three.naturalThreshold() > one.naturalThreshold());
  assert.equal(three.naturalThreshold(), single.naturalThreshold());
});
