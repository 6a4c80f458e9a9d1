import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../core/errors.js';
import { compareShadow, evaluatePromoteRule, type ShadowPoint } from './shadow.js';

const H = 3_600_000;
const v = (anomaly: boolean, score = anomaly ? 5 : 1) => ({ score, anomaly });

/**
 * Two days, one series, a point every hour (49 points, t = 0..48 h). Labels:
 * anomalies at 10 h and 30 h, normals at 5 h, 20 h and 40 h.
 * Served flags 5, 10, 20, 40 h  -> labelled tp 1 (10), fp 3 (5, 20, 40), fn 1 (30), tn 0.
 * Candidate flags 10, 11, 30 h  -> labelled tp 2 (10, 30), fp 0, fn 0, tn 3.
 * Alerts with a 1-hour quiet period: served 4 (each flag apart); candidate 2 (10 and 11 h join).
 */
function points(): ShadowPoint[] {
  const served = new Set([5, 10, 20, 40]);
  const cand = new Set([10, 11, 30]);
  const labels = new Map<number, 'anomaly' | 'normal'>([
    [10, 'anomaly'],
    [30, 'anomaly'],
    [5, 'normal'],
    [20, 'normal'],
    [40, 'normal'],
  ]);
  return Array.from({ length: 49 }, (_, h) => ({ t: h * H, key: 'm1', served: v(served.has(h)), candidate: v(cand.has(h)), ...(labels.has(h) ? { label: labels.get(h)! } : {}) }));
}

test('shadow metrics on a hand-computed case', () => {
  const c = compareShadow(points(), { quietSeconds: 3600 });
  assert.equal(c.points, 49);
  assert.equal(c.labelled, 5);
  assert.equal(c.days, 2);
  assert.deepEqual(c.served, { flagged: 4, alerts: 4, alertsPerDay: 2, tp: 1, fp: 3, fn: 1, tn: 0, precision: 0.25, recall: 0.5 });
  assert.deepEqual(c.candidate, { flagged: 3, alerts: 2, alertsPerDay: 1, tp: 2, fp: 0, fn: 0, tn: 3, precision: 1, recall: 1 });
  // They disagree at 5, 11, 20, 30 and 40 h.
  assert.equal(c.disagreements.total, 5);
  assert.deepEqual(c.disagreements.listed.map((d) => d.t / H), [5, 11, 20, 30, 40]);
  assert.deepEqual(c.disagreements.listed[0], { t: 5 * H, key: 'm1', served: v(true), candidate: v(false), label: 'normal' });
});

test('the disagreement list is bounded to the latest, and the order of input does not matter', () => {
  const c = compareShadow(points().reverse(), { quietSeconds: 3600, maxDisagreements: 2 });
  assert.equal(c.disagreements.total, 5);
  assert.deepEqual(c.disagreements.listed.map((d) => d.t / H), [30, 40]);
  assert.equal(c.candidate.alerts, 2);
  assert.equal(compareShadow(points(), { maxDisagreements: 0 }).disagreements.listed.length, 0);
});

test('a longer window lowers the rate; no labels leave precision and recall undefined', () => {
  const unlabelled = points().map(({ label: _label, ...p }) => p);
  const c = compareShadow(unlabelled, { quietSeconds: 3600, from: 0, to: 4 * 24 * H });
  assert.equal(c.served.alertsPerDay, 1);
  assert.equal(c.served.precision, null);
  assert.equal(c.candidate.recall, null);
  assert.equal(compareShadow([points()[0]!]).served.alertsPerDay, null);
});

test('bad input is refused', () => {
  assert.throws(() => compareShadow([]), DataError);
  assert.throws(() => compareShadow([{ ...points()[0]!, t: NaN }]), DataError);
  assert.throws(() => compareShadow(points(), { from: 10, to: 5 }), OptionsError);
  assert.throws(() => compareShadow(points(), { maxDisagreements: -1 }), OptionsError);
});

test('the promotion rule: every condition must hold, each reported; an empty rule is refused', () => {
  const c = compareShadow(points(), { quietSeconds: 3600 });
  const yes = evaluatePromoteRule(c, { minPrecisionGain: 0.5, maxAlertsPerDay: 1, maxRecallLoss: 0, minLabelled: 5 });
  assert.equal(yes.promote, true);
  assert.deepEqual(yes.checks.map((k) => [k.condition, k.ok]), [['minLabelled', true], ['minPrecisionGain', true], ['maxRecallLoss', true], ['maxAlertsPerDay', true]]);
  assert.match(yes.checks[1]!.detail, /precision 0\.25 -> 1 \(gain 0\.75\)/);
  const no = evaluatePromoteRule(c, { minPrecisionGain: 0.8, maxAlertsPerDay: 0.5 });
  assert.equal(no.promote, false);
  assert.deepEqual(no.checks.map((k) => k.ok), [false, false]);
  assert.equal(evaluatePromoteRule(c, { minLabelled: 6 }).promote, false);
  // Without labels a precision condition cannot be judged, so it does not promote.
  const unlabelled = compareShadow(points().map(({ label: _label, ...p }) => p));
  assert.equal(evaluatePromoteRule(unlabelled, { minPrecisionGain: 0 }).promote, false);
  assert.throws(() => evaluatePromoteRule(c, {}), /at least one condition/);
});
