import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import type { Frame } from '../data/frame.js';
import { decode, encode } from '../persist/container.js';
import { ksUniform } from '../threshold/index.js';
import { Model } from './model.js';

/** Normal rows: four correlated columns, one skewed; the same generator for training and fresh data. */
function normalRows(rows: number, seed: number, anomalies = 0): { frame: Frame; labels: Uint8Array } {
  const rng = new Rng(seed);
  const cols = Array.from({ length: 4 }, () => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = rng.normal();
    labels[i] = i < anomalies ? 1 : 0;
    for (let j = 0; j < 4; j++) cols[j]![i] = 0.6 * c + 0.8 * rng.normal() + (j === 0 ? Math.abs(rng.normal()) : 0) + (labels[i] ? 5 : 0);
  }
  return { frame: { rows, columns: cols.map((values, j) => ({ name: `x${j}`, kind: 'numeric' as const, values })) }, labels };
}

/** Share of p-values in each tenth of (0, 1]. */
function deciles(p: Float64Array): number[] {
  const d = new Array<number>(10).fill(0);
  for (const v of p) d[Math.min(9, Math.floor(v * 10))]!++;
  return d.map((c) => c / p.length);
}

// knn finds a training row at distance 0 (itself), so its training scores are lower than fresh
// rows' and are no calibration set: it calibrates on held-back rows.
const cases = [
  { detector: 'iforest', options: { seed: 1 }, rows: 2000 },
  { detector: 'ecod', options: {}, rows: 2000 },
  { detector: 'knn', options: {}, rows: 2000, holdout: 0.3 },
  { detector: 'autoencoder', options: { epochs: 8, seed: 1 }, rows: 1000 },
];

for (const c of cases) {
  test(`${c.detector}: calibrated p-values of fresh normal rows are uniform (KS and deciles)`, async () => {
    const m = await Model.fit(normalRows(c.rows, 1).frame, { detector: c.detector, options: c.options, calibration: c.holdout ? { holdout: c.holdout } : {} });
    const p = await m.exceedance(normalRows(3000, 2).frame);
    const ks = ksUniform(p);
    const d = deciles(p);
    const calRows = c.holdout ? c.rows * c.holdout : c.rows;
    // Two-sample KS critical value at 1%.
    const critical = 1.63 * Math.sqrt(1 / calRows + 1 / 3000);
    assert.ok(ks < critical, `KS ${ks.toFixed(4)} >= ${critical.toFixed(4)}; deciles ${d.map((x) => x.toFixed(3)).join(' ')}`);
    for (const x of d) assert.ok(Math.abs(x - 0.1) < 0.03, `deciles ${d.map((v) => v.toFixed(3)).join(' ')}`);
    const cal = await m.calibrated(normalRows(50, 3).frame);
    const raw = await m.score(normalRows(50, 3).frame);
    for (let i = 0; i < 50; i++) for (let j = 0; j < 50; j++) if (raw[i]! > raw[j]!) assert.ok(cal[i]! >= cal[j]!, 'monotone in the score');
  });
}

test('knn calibrated on its own training scores is measurably off: the reason for the holdout', async () => {
  const m = await Model.fit(normalRows(2000, 1).frame, { detector: 'knn' });
  const ks = ksUniform(await m.exceedance(normalRows(3000, 2).frame));
  assert.ok(ks > 0.05, `KS ${ks}`);
});

test('an exceedance threshold flags fresh normal rows at about its p', async () => {
  const m = await Model.fit(normalRows(3000, 1).frame, { detector: 'ecod', threshold: { kind: 'exceedance', p: 0.01 } });
  const flagged = (await m.predict(normalRows(20000, 4).frame)).reduce((n, v) => n + v, 0);
  assert.ok(flagged > 140 && flagged < 260, `${flagged} of 20000 flagged at p = 0.01`);
});

test('the calibrator is saved with the model; a file without one loads and says it is missing', async () => {
  const m = await Model.fit(normalRows(400, 1).frame, { detector: 'ecod' });
  const fresh = normalRows(100, 5).frame;
  const back = Model.fromBytes(m.toBytes());
  assert.deepEqual(await back.exceedance(fresh), await m.exceedance(fresh));
  const { manifest, arrays } = decode(m.toBytes());
  delete manifest['calibration'];
  const old = Model.fromBytes(encode({ manifest, arrays }));
  assert.deepEqual(await old.score(fresh), await m.score(fresh));
  await assert.rejects(old.exceedance(fresh), /no calibrated scores: the file was saved by a vigil without/);
  const tiny = await Model.fit(normalRows(20, 1).frame, { detector: 'ecod' });
  await assert.rejects(tiny.exceedance(fresh), /fitted on 20 rows/);
});

test('a cost threshold is chosen on held-back labelled rows and reports recall and cost', async () => {
  const { frame, labels } = normalRows(1000, 6, 40);
  const m = await Model.fit(frame, { detector: 'ecod', threshold: { kind: 'cost', fn: 500, fp: 5 } }, { labels });
  const ch = m.record.choice!;
  assert.equal(ch.on, 'holdout');
  assert.equal(ch.rows, 200);
  assert.ok(ch.recall !== undefined && ch.recall > 0.8, `recall ${ch.recall}`);
  assert.equal(ch.cost, 500 * ch.falseNegatives! + 5 * ch.falsePositives!);
  assert.deepEqual(Model.fromBytes(m.toBytes()).record.choice, ch);
  await assert.rejects(Model.fit(frame, { detector: 'ecod', threshold: { kind: 'cost', fn: 500, fp: 5 } }), /labelled rows/);
});

test('a budget threshold reads the time span from a timestamp column, or rows per day', async () => {
  const { frame } = normalRows(2880, 7);
  const ts = Float64Array.from({ length: 2880 }, (_, i) => Date.UTC(2026, 0, 1) + i * 60_000);
  const timed: Frame = { rows: frame.rows, columns: [...frame.columns, { name: 'ts', kind: 'timestamp', values: ts }] };
  const m = await Model.fit(timed, { detector: 'ecod', threshold: { kind: 'budget', perDay: 10 } });
  const ch = m.record.choice!;
  assert.equal(ch.on, 'training');
  assert.ok(ch.alertsPerDay! <= 10.01 && ch.alertsPerDay! > 9, `alerts/day ${ch.alertsPerDay}`);
  const byRows = await Model.fit(frame, { detector: 'ecod', threshold: { kind: 'budget', perDay: 10 } }, { rowsPerDay: 1440 });
  assert.equal(byRows.record.choice!.alerts, 20);
  await assert.rejects(Model.fit(frame, { detector: 'ecod', threshold: { kind: 'budget', perDay: 10 } }), /time span/);
});
