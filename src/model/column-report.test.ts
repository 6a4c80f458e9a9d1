import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import type { Column, Frame } from '../data/frame.js';
import { decode } from '../persist/container.js';
import { planColumns } from './column-report.js';
import { Model } from './model.js';

const rows = 200;
const rng = new Rng(4);
const num = (name: string, f: (i: number) => number): Column => ({ name, kind: 'numeric', values: Float64Array.from({ length: rows }, (_, i) => f(i)) });
const cat = (name: string, f: (i: number) => string | null): Column => ({ name, kind: 'categorical', values: Array.from({ length: rows }, (_, i) => f(i)) });
const frame = (...columns: Column[]): Frame => ({ rows, columns });
const amount = num('amount', () => Math.exp(3 + rng.normal()));
const codes = (w: { code: string; column: string }[]): string[] => w.map((x) => `${x.code}:${x.column}`);

test('an id-like column used as a feature is warned about: text or whole numbers unique per row', () => {
  const { report } = planColumns(frame(cat('id', (i) => `t${i}`), num('customer', (i) => 1000 + i * 7), amount), 50);
  assert.deepEqual(codes(report.warnings), ['id-like:id', 'id-like:customer']);
  assert.match(report.warnings[0]!.message, /'id' looks like an id \(a different text in every row\) but is used as a feature/);
  // An id is capped too, but one warning says it all.
  assert.deepEqual(report.columns[0], { name: 'id', role: 'feature', kind: 'categorical', levels: 200, cap: 50 });
});

test('not id-like: unique real numbers (amounts), a repeated value, a few missing ids, a small table', () => {
  const some = cat('code', (i) => (i === 5 ? 't4' : `t${i}`));
  const gaps = cat('ref', (i) => (i % 5 === 0 ? null : `r${i}`));
  assert.deepEqual(planColumns(frame(amount, some, gaps), 500).report.warnings, []);
  const small: Frame = { rows: 10, columns: [{ name: 'id', kind: 'categorical', values: Array.from({ length: 10 }, (_, i) => `x${i}`) }] };
  assert.deepEqual(planColumns(small, 50).report.warnings, []);
});

test('a 0/1 column named like a label used as a feature is warned about; other 0/1 or other names are not', () => {
  const bit = (name: string): Column => num(name, (i) => (i % 9 === 0 ? 1 : 0));
  const named = ['label', 'Class', 'target', 'y', 'is_fraud', 'isFraud', 'fraud', 'anomaly', 'outlier', 'is_anomaly', 'attack_label'];
  const { report } = planColumns(frame(...named.map(bit), amount), 50);
  assert.deepEqual(report.warnings.map((w) => w.column), named);
  assert.ok(report.warnings.every((w) => w.code === 'label-like' && /holds only 0\/1 and is named like a label, but is used as a feature/.test(w.message)));
  const fine = planColumns(frame(bit('weekend'), num('label', (i) => i % 3), bit('classic_car')), 50).report;
  assert.deepEqual(fine.warnings, []);
});

test('a categorical column over the level cap is reported with its level count, the cap and the share of rows pooled', () => {
  // 80 levels: c0..c39 in 4 rows each, c40..c79 in one row each.
  const city = cat('city', (i) => (i < 160 ? `c${i % 40}` : `c${i - 120}`));
  const { report, features } = planColumns(frame(city, amount), 30);
  assert.deepEqual(report.columns[0], { name: 'city', role: 'feature', kind: 'categorical', levels: 80, cap: 30 });
  assert.deepEqual(codes(report.warnings), ['capped:city']);
  // Kept: 30 of the 40 frequent levels (4 rows each); pooled: 10 x 4 + 40 rare = 80 rows, 40%.
  assert.equal(report.warnings[0]!.message, "'city' has 80 levels, capped at the 30 most frequent: the other 50 (40% of rows) share one '<other>' feature");
  assert.equal(features.columns.length, 2);
  const under = planColumns(frame(city, amount), 80).report;
  assert.deepEqual(under.columns[0], { name: 'city', role: 'feature', kind: 'categorical', levels: 80 });
  assert.deepEqual(under.warnings, []);
});

test('timestamps are not features: dates, and numbers named like a timestamp that never decrease', () => {
  const at: Column = { name: 'at', kind: 'timestamp', values: Float64Array.from({ length: rows }, (_, i) => 1.7e12 + i * 6e4) };
  const clock = num('Timestamp', (i) => 1000 + Math.floor(i / 2));
  const duration = num('time', () => rng.uniform(0, 10));
  const { report, features } = planColumns(frame(at, clock, duration, amount), 50, [{ name: 'label', role: 'label', reason: 'given by --label' }]);
  assert.deepEqual(report.columns, [
    { name: 'at', role: 'timestamp', kind: 'timestamp', reason: 'holds dates and times' },
    { name: 'Timestamp', role: 'timestamp', kind: 'numeric', reason: 'named like a timestamp and never decreasing' },
    { name: 'time', role: 'feature', kind: 'numeric' },
    { name: 'amount', role: 'feature', kind: 'numeric' },
    { name: 'label', role: 'label', reason: 'given by --label' },
  ]);
  assert.deepEqual(features.columns.map((c) => c.name), ['time', 'amount']);
});

test('a model fitted with a timestamp column scores rows without it, and says why it left it out', async () => {
  const at: Column = { name: 'at', kind: 'timestamp', values: Float64Array.from({ length: rows }, (_, i) => 1.7e12 + i * 6e4) };
  const m = await Model.fit(frame(at, amount, cat('shop', (i) => (i % 3 ? 'a' : 'b'))), { detector: 'zscore', threshold: { kind: 'auto' } });
  assert.deepEqual(m.columns, [{ name: 'amount', kind: 'numeric' }, { name: 'shop', kind: 'categorical' }]);
  const scores = await m.score(frame(amount, cat('shop', () => 'a')));
  assert.equal(scores.length, rows);
  assert.equal(m.record.report!.columns[0]!.role, 'timestamp');
  await assert.rejects(() => Model.fit(frame(at), { detector: 'zscore' }), { name: 'DataError', message: "no feature columns left to fit on ('at': timestamps, not features)" });
});

test('the training summary: rows, features, quantiles in order, flagged rows as predict finds them', async () => {
  const f = frame(amount, num('b', () => rng.normal()));
  const m = await Model.fit(f, { detector: 'iforest', options: { seed: 1 }, threshold: { kind: 'auto' } });
  const t = m.record.training!;
  assert.equal(t.rows, rows);
  assert.equal(t.features, 2);
  assert.ok(t.fitSeconds >= 0);
  const q = [t.scores.min, t.scores.p25, t.scores.p50, t.scores.p75, t.scores.p90, t.scores.p99, t.scores.max];
  assert.deepEqual([...q].sort((x, y) => x - y), q);
  const flagged = (await m.predict(f)).reduce((a, b) => a + b, 0);
  assert.equal(t.flagged, flagged);
  assert.equal(t.rate, flagged / rows);
  assert.ok(t.autoRule === 'fence' || t.autoRule === 'cap');
  const c = await Model.fit(f, { detector: 'iforest', threshold: { kind: 'contamination', rate: 0.05 } });
  assert.equal(c.record.training!.autoRule, undefined);
});

test('report and training summary survive a save; a file saved before they existed still loads and scores', async () => {
  const at: Column = { name: 'at', kind: 'timestamp', values: Float64Array.from({ length: rows }, (_, i) => 1.7e12 + i) };
  const id = cat('id', (i) => `t${i}`);
  const f = frame(at, id, amount);
  const m = await Model.fit(f, { detector: 'zscore' }, { setAside: [{ name: 'label', role: 'label', reason: 'given by --label' }] });
  const back = Model.fromBytes(m.toBytes());
  assert.deepEqual(back.record, m.record);
  assert.deepEqual(codes(back.record.report!.warnings), ['id-like:id']);
  // The old layout: no report or training, every input column listed (the timestamp too).
  const { manifest, arrays } = decode(m.toBytes());
  delete manifest['report'];
  delete manifest['training'];
  manifest['columns'] = [{ name: 'at', kind: 'timestamp' }, { name: 'id', kind: 'categorical' }, { name: 'amount', kind: 'numeric' }];
  const pre = manifest['preprocess'] as { columns: unknown[] };
  pre.columns.unshift({ name: 'at', kind: 'timestamp' });
  const old = Model.fromContainer({ manifest, arrays });
  assert.deepEqual(old.record, {});
  assert.deepEqual(old.columns.map((c) => c.name), ['id', 'amount']);
  assert.deepEqual(await old.score(frame(id, amount)), await m.score(f));
});
