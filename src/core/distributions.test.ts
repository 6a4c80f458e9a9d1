import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareSf,
  logGamma,
  studentTCdf,
  studentTQuantile,
  studentTSf,
  studentTUpperQuantile,
} from './distributions.js';

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

test('logGamma matches factorials and Gamma(1/2)', () => {
  close(logGamma(10), Math.log(362880), 1e-14, 'ln 9!');
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14, 'ln Gamma(1/2)');
  close(logGamma(171), 706.5730622457874, 1e-14, 'ln 170!');
});

test('Student t quantiles match printed tables', () => {
  // Table values to 3 decimals, then SciPy's t.ppf for the full digits.
  assert.equal(studentTQuantile(0.975, 10).toFixed(3), '2.228');
  close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-12, 't(0.975, 10)');
  close(studentTQuantile(0.975, 1), 12.706204736174694, 1e-12, 't(0.975, 1)');
  close(studentTQuantile(0.995, 30), 2.7499956535672254, 1e-12, 't(0.995, 30)');
  close(studentTUpperQuantile(1e-6, 50), 5.376673401740478, 1e-11, 'upper 1e-6 point, 50 df');
  close(studentTQuantile(0.025, 10), -2.228138851986274, 1e-12, 'lower quantile is symmetric');
});

test('Student t tails keep their digits far out', () => {
  close(studentTSf(10, 5), 8.547378787148181e-5, 1e-12, 'P(T5 > 10)');
  close(studentTSf(40, 3), 1.7190340394579253e-5, 1e-12, 'P(T3 > 40)');
  close(studentTCdf(-1.5, 7), 0.088649243494985, 1e-12, 'P(T7 <= -1.5)');
  assert.equal(studentTCdf(0, 4), 0.5);
});

test('chi-square quantiles and tails', () => {
  assert.equal(chiSquareQuantile(0.99, 2).toFixed(3), '9.210');
  // With 2 degrees of freedom the chi-square is exponential: the quantile is -2 ln(1 - p).
  close(chiSquareQuantile(0.99, 2), -2 * Math.log(0.01), 1e-12, 'chi2(0.99, 2)');
  close(chiSquareQuantile(0.95, 1), 3.841458820694124, 1e-12, 'chi2(0.95, 1)');
  close(chiSquareQuantile(0.05, 10), 3.9402991361190605, 1e-12, 'chi2(0.05, 10)');
  close(chiSquareQuantile(0.99, 274), 331.38024319463034, 1e-12, 'chi2(0.99, 274)');
  close(chiSquareSf(100, 10), 5.4497019829205215e-17, 1e-10, 'P(chi2_10 > 100)');
  close(chiSquareCdf(chiSquareQuantile(0.3, 7), 7), 0.3, 1e-13, 'cdf inverts quantile');
});
