import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDetector } from '../registry.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { DataError, OptionsError } from '../../core/errors.js';
import { averagePrecision, rocAuc } from '../../evaluate/metrics.js';
import { plantedOutliers } from '../../testing/synthetic.js';
import { Model } from '../../model/model.js';
import type { Frame } from '../../data/frame.js';
import { fitScale, combineScaled } from './scale.js';

/**
 * Anomalies a density barely sees: every row from one normal cloud, the anomalies those past a
 * line (x0 > 1.28, about 10%). Rows as far out the other way, or along x1, are normal, so an
 * unsupervised score confuses them; a classifier learns the line.
 */
function pastALine(rows: number, seed: number): { X: Matrix; labels: Uint8Array } {
  const rng = new Rng(seed);
  const X = matrix(rows, 2);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    X.data[i * 2] = rng.normal();
    X.data[i * 2 + 1] = rng.normal();
    labels[i] = X.data[i * 2]! > 1.28 ? 1 : 0;
  }
  return { X, labels };
}

test('without labels auto averages its members on one scale and says so', async () => {
  const { X, labels } = plantedOutliers({ rows: 240, cols: 4, outliers: 10, seed: 3 });
  const d = createDetector('auto', { seed: 1 });
  await d.fit(X);
  const c = d.choice!()!;
  assert.equal(c.method, 'ensemble');
  assert.equal(c.chosen, 'ensemble');
  assert.deepEqual(c.members, ['iforest', 'knn', 'lof', 'hbos', 'kmeans']);
  assert.match(c.reason, /^no labels: the mean of iforest, knn, lof, hbos, kmeans scores, each as a robust z/);
  assert.ok(rocAuc(labels, await d.score(X)) > 0.95);
});

test("auto's combined scores are deterministic under a seed, and are the mean of the members' robust z", async () => {
  const { X } = plantedOutliers({ rows: 200, cols: 3, outliers: 8, seed: 4 });
  const a = createDetector('auto', { seed: 9, members: ['iforest', 'hbos'] });
  const b = createDetector('auto', { seed: 9, members: ['iforest', 'hbos'] });
  await a.fit(X);
  await b.fit(X);
  const s = await a.score(X);
  assert.deepEqual(s, await b.score(X));
  const members = await Promise.all(
    ['iforest', 'hbos'].map(async (name) => {
      const m = createDetector(name, name === 'iforest' ? { seed: 9 } : {});
      await m.fit(X);
      return m.score(X);
    }),
  );
  const expected = combineScaled(members, members.map(fitScale));
  assert.deepEqual(s, expected);
});

test('with labels auto picks by cross-validated PR-AUC: a classifier where only the labels tell', async () => {
  const { X, labels } = pastALine(300, 2);
  const d = createDetector('auto', { seed: 1, candidates: ['ensemble', 'iforest', 'classifier'] });
  await d.fit(X, { labels });
  const c = d.choice!()!;
  assert.equal(c.method, 'cross-validation');
  assert.equal(c.chosen, 'classifier');
  assert.deepEqual(c.members, ['classifier']);
  const byName = Object.fromEntries(c.candidates.map((x) => [x.name, x]));
  assert.equal(byName['classifier']!.mode, 'supervised');
  assert.ok(byName['classifier']!.prAuc! > byName['ensemble']!.prAuc! + 0.3, JSON.stringify(c.candidates));
  assert.ok(byName['classifier']!.prAuc! > byName['iforest']!.prAuc! + 0.3);
  assert.match(c.reason, /\d+ labeled anomalies: classifier \(supervised\) had the highest mean PR-AUC over 3 stratified folds/);
  assert.ok(averagePrecision(labels, await d.score(X)) > 0.8);
});

test('too few labeled anomalies for the folds: auto falls back to the label-free ensemble and says why', async () => {
  const { X } = plantedOutliers({ rows: 120, cols: 3, outliers: 6, seed: 5 });
  const labels = new Uint8Array(X.rows);
  labels[0] = 1;
  labels[1] = 1;
  const d = createDetector('auto', { seed: 1, members: ['iforest', 'hbos'] });
  await d.fit(X, { labels });
  const c = d.choice!()!;
  assert.equal(c.method, 'ensemble');
  assert.match(c.reason, /^2 labeled anomalies, fewer than the 3 folds a cross-validated choice needs/);
});

function frameOf(X: Matrix): Frame {
  return {
    rows: X.rows,
    columns: Array.from({ length: X.cols }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const, values: Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]!) })),
  };
}

test("Model.fit({detector: 'auto'}) records the choice in model.info.auto, and the model file round-trips it", async () => {
  const { X } = plantedOutliers({ rows: 200, cols: 3, outliers: 8, seed: 6 });
  const f = frameOf(X);
  const m = await Model.fit(f, { detector: 'auto', options: { seed: 2 }, threshold: { kind: 'contamination', rate: 0.05 } });
  assert.equal(m.info.auto?.method, 'ensemble');
  const back = Model.fromBytes(m.toBytes());
  assert.deepEqual(back.info.auto, m.info.auto);
  assert.deepEqual(await back.score(f), await m.score(f));
  assert.equal(back.cutoff, m.cutoff);
  const iforest = await Model.fit(f, { detector: 'iforest' });
  assert.deepEqual(iforest.info, {});
});

test('auto with labels through Model.fit saves the single chosen detector, and the file keeps every candidate weighed', async () => {
  const { X, labels } = pastALine(300, 3);
  const m = await Model.fit(frameOf(X), { detector: 'auto', options: { candidates: ['iforest', 'classifier'] } }, { labels });
  const back = Model.fromBytes(m.toBytes());
  assert.equal(back.info.auto?.chosen, 'classifier');
  assert.equal(back.info.auto?.candidates.length, 2);
});

test('bad input: unknown or label-reading members, unknown candidates, wrong label count', async () => {
  assert.throws(() => createDetector('auto', { members: ['nope'] }), OptionsError);
  assert.throws(() => createDetector('auto', { members: ['classifier'] }), (e: unknown) => e instanceof OptionsError && /member 'classifier' must be an unsupervised detector/.test((e as Error).message));
  assert.throws(() => createDetector('auto', { members: ['auto'] }), OptionsError);
  assert.throws(() => createDetector('auto', { candidates: ['nope'] }), OptionsError);
  assert.throws(() => createDetector('auto', { folds: 1 }), OptionsError);
  assert.throws(() => createDetector('auto', { members: [] }), OptionsError);
  const { X } = plantedOutliers({ rows: 50, cols: 2, outliers: 3, seed: 1 });
  await assert.rejects(createDetector('auto').fit(X, { labels: new Uint8Array(3) }), (e: unknown) => e instanceof DataError && /3 labels for 50 rows/.test((e as Error).message));
});

test('fitScale: robust z of the training scores, with a fallback when half the scores tie', () => {
  assert.deepEqual(fitScale([1, 2, 3, 4, 100]), { center: 3, spread: 1.482602218505602 });
  const tied = fitScale([0, 0, 0, 0, 0, 0, 1, 5]);
  assert.equal(tied.center, 0);
  assert.ok(tied.spread > 0);
  assert.deepEqual(fitScale([2, 2, 2]), { center: 2, spread: 1 });
});
