import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { averagePrecision, rocAuc } from '../evaluate/metrics.js';
import { frameFromArrays, frameFromObjects } from '../data/objects.js';
import type { Frame } from '../data/frame.js';
import { Model } from '../model/model.js';
import { SeriesModel } from '../model/series-model.js';
import { plantedOutliers } from '../testing/synthetic.js';
import { buildReport, CURVE_POINTS, reportFromModel, SERIES_COLUMNS, type ModelSummary } from './index.js';

const SUMMARY: ModelSummary = { kind: 'tabular', detector: 'test', options: {}, threshold: { cutoff: 0 } };

function scored(n: number, seed: number): { scores: Float64Array; labels: Uint8Array } {
  const rng = new Rng(seed);
  const labels = Uint8Array.from({ length: n }, () => (rng.next() < 0.05 ? 1 : 0));
  const scores = Float64Array.from(labels, (y) => rng.normal() + (y ? 2.5 : 0));
  return { scores, labels };
}

test('the figures are the exact ones: histogram counts every row, AUCs equal the metrics, curves thinned, confusion and cost at the threshold', () => {
  const { scores, labels } = scored(5000, 3);
  const d = buildReport({ title: 't', modelSummary: SUMMARY, scores, threshold: 1.5, labels, costFn: 50, costFp: 1, rowsPerDay: 1000 });
  assert.equal(d.histogram.counts.reduce((a, b) => a + b, 0), 5000);
  assert.equal(d.histogram.anomalies!.reduce((a, b) => a + b, 0), labels.reduce((a, b) => a + b, 0));
  assert.equal(d.roc!.area, rocAuc(labels, scores));
  assert.equal(d.pr!.area, averagePrecision(labels, scores));
  assert.ok(d.roc!.x.length <= CURVE_POINTS + 1 && d.roc!.x.length > 100, `${d.roc!.x.length} points`);
  for (let i = 1; i < d.roc!.x.length; i++) assert.ok(d.roc!.x[i]! >= d.roc!.x[i - 1]! && d.pr!.x[i]! >= d.pr!.x[i - 1]!, 'x never goes back');
  assert.deepEqual([d.roc!.x.at(-1), d.roc!.y.at(-1)], [1, 1]);
  const c = d.atThreshold.confusion!;
  let alerts = 0;
  for (const s of scores) if (s > 1.5) alerts++;
  assert.equal(c.tp + c.fp, alerts);
  assert.equal(d.alerts, alerts);
  assert.equal(c.tp + c.fp + c.tn + c.fn, 5000);
  assert.equal(d.atThreshold.cost, 50 * c.fn + c.fp);
  assert.equal(d.days, 5);
  assert.equal(d.atThreshold.alertsPerDay, alerts / 5);
  // The least-cost cut on these rows can only be as cheap or cheaper.
  assert.ok(d.leastCost!.cost! <= d.atThreshold.cost!, `${d.leastCost!.cost} vs ${d.atThreshold.cost}`);
});

test('an alert budget gives the cut that meets it; without a time span it is one DataError', () => {
  const { scores } = scored(2000, 4);
  const d = buildReport({ title: 't', modelSummary: SUMMARY, scores, threshold: 0, budget: 10, days: 4 });
  assert.ok(d.budget!.alerts <= 40 && d.budget!.alerts >= 38, `${d.budget!.alerts} alerts`);
  assert.equal(d.labelled, false);
  assert.equal(d.roc, undefined);
  assert.equal(d.atThreshold.confusion, undefined);
  assert.throws(() => buildReport({ title: 't', modelSummary: SUMMARY, scores, threshold: 0, budget: 10 }), DataError);
});

test('top rows are the highest scores, their contributions largest first, rows mapped through the explained indices', () => {
  const scores = [0.1, 5, 0.3, 9, 2];
  const values = { rows: 2, cols: 2, data: Float64Array.from([1, -4, 3, 2]) };
  const d = buildReport({ title: 't', modelSummary: SUMMARY, scores, threshold: 1, top: 3, explanations: { columns: ['a', 'b'], values, rows: [3, 1] }, rowIds: ['r0', 'r1', 'r2', 'r3', 'r4'] });
  assert.deepEqual(d.top.map((r) => [r.row, r.id, r.score]), [[4, 'r3', 9], [2, 'r1', 5], [5, 'r4', 2]]);
  assert.deepEqual(d.top[0]!.contributions, [{ column: 'b', value: -4 }, { column: 'a', value: 1 }]);
  assert.deepEqual(d.top[1]!.contributions, [{ column: 'a', value: 3 }, { column: 'b', value: 2 }]);
  assert.equal(d.top[2]!.contributions, undefined);
});

test('a long series is downsampled per pixel column with every anomaly kept; warm-up steps are drawn but not counted', () => {
  const n = 50_000;
  const rng = new Rng(9);
  const t = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000);
  const value = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 300) + 0.1 * rng.normal());
  const scores = Float64Array.from({ length: n }, (_, i) => (i < 50 ? 0 : i % 4999 === 0 ? 10 : rng.next()));
  const d = buildReport({ title: 's', modelSummary: SUMMARY, scores, threshold: 5, series: { t, value, name: 'v', dates: true, warmup: 50 } });
  const s = d.series!;
  assert.equal(d.rows, n - 50);
  assert.equal(s.steps, n);
  assert.ok(s.t.length <= SERIES_COLUMNS + 20, `${s.t.length} points`);
  const planted = Array.from({ length: n }, (_, i) => i).filter((i) => i >= 50 && i % 4999 === 0);
  const marked = s.t.filter((_, i) => s.anomaly[i]);
  assert.deepEqual(marked, planted.map((i) => t[i]));
  assert.equal(s.score[0], null, 'no score in the warm-up');
  assert.equal(d.alerts, planted.length);
  assert.throws(() => buildReport({ title: 's', modelSummary: SUMMARY, scores: [1, 2], threshold: 1, series: { t: [1], value: [1] } }), DataError);
});

test('bad input is a DataError: NaN scores, labels of another length or not 0/1, no rows', () => {
  const base = { title: 't', modelSummary: SUMMARY, threshold: 0 };
  assert.throws(() => buildReport({ ...base, scores: [1, NaN] }), /NaN/);
  assert.throws(() => buildReport({ ...base, scores: [1, 2], labels: [1] }), /1 labels for 2 scores/);
  assert.throws(() => buildReport({ ...base, scores: [1, 2], labels: [1, 2] }), DataError);
  assert.throws(() => buildReport({ ...base, scores: [] }), /no rows/);
});

function plantedFrame(): Frame {
  const { X, labels } = plantedOutliers({ rows: 300, cols: 3, outliers: 12, seed: 7 });
  const rows = Array.from({ length: X.rows }, (_, i) => [X.data[i * 3]!, X.data[i * 3 + 1]!, X.data[i * 3 + 2]!, labels[i]!]);
  return frameFromArrays(rows, ['a', 'b', 'c', 'label']);
}

test('reportFromModel: a tabular model scores the frame, splits off the label and explains the top rows by column', async () => {
  const frame = plantedFrame();
  const train = { rows: frame.rows, columns: frame.columns.filter((c) => c.name !== 'label') };
  const model = await Model.fit(train, { detector: 'zscore' });
  const d = await reportFromModel(model, frame, { label: 'label', top: 12 });
  assert.equal(d.rows, 300);
  assert.equal(d.threshold, model.cutoff);
  assert.ok(d.roc!.area > 0.95, `ROC-AUC ${d.roc!.area}`);
  assert.equal(d.top.length, 12);
  assert.ok(d.top.every((r) => r.contributions?.length === 3 && r.values !== undefined));
  assert.deepEqual(new Set(d.top[0]!.contributions!.map((c) => c.column)), new Set(['a', 'b', 'c']));
  assert.equal(d.model.detector, 'zscore');
  assert.equal(d.model.explains, true);
  await assert.rejects(reportFromModel(model, frame, { label: 'nope' }), /nope/);
});

test('reportFromModel: a series model reports its series with a date axis, labels joined through the rows', async () => {
  const n = 600;
  const ts = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString());
  const value = Array.from({ length: n }, (_, i) => Math.sin(i / 12) + (i === 400 ? 8 : 0));
  const label = Array.from({ length: n }, (_, i) => (i === 400 ? '1' : '0'));
  const frame = frameFromObjects(ts.map((t, i) => ({ timestamp: t, value: value[i]!, label: label[i]! })));
  const model = await SeriesModel.fit(
    { header: ['timestamp', 'value'], rows: ts.map((t, i) => [t, String(value[i])]) },
    { detector: 'rolling-z', options: { window: 24 } },
  );
  const d = await reportFromModel(model, frame, { label: 'label' });
  assert.equal(d.series!.dates, true);
  assert.equal(d.series!.t.length, n);
  assert.equal(d.top[0]!.row, 401);
  assert.equal(d.top[0]!.label, 1);
  assert.equal(d.model.kind, 'series');
});
