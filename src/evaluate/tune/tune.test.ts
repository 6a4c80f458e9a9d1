import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridCandidates, randomCandidates } from './candidates.js';
import { tune } from './tune.js';
import { frameFromArrays } from '../../data/index.js';
import { toRows } from '../../core/matrix.js';
import { plantedOutliers } from '../../testing/synthetic.js';
import { OptionsError } from '../../core/errors.js';

test('grid is the full product; random draws distinct settings, seeded', () => {
  const space = { a: [1, 2, 3], b: ['x', 'y'] };
  const grid = gridCandidates(space);
  assert.equal(grid.length, 6);
  assert.deepEqual(grid[0], { a: 1, b: 'x' });
  const r = randomCandidates(space, 4, 9);
  assert.equal(r.length, 4);
  assert.equal(new Set(r.map((s) => JSON.stringify(s))).size, 4);
  assert.deepEqual(randomCandidates(space, 4, 9), r);
  assert.equal(randomCandidates(space, 10, 9).length, 6);
});

const { X, labels } = plantedOutliers({ rows: 240, cols: 4, outliers: 12, seed: 21 });
const frame = frameFromArrays(toRows(X));

test('with labels, the better setting wins and rows come best first (worker threads)', async () => {
  const report = await tune(frame, labels, {
    detector: 'iforest',
    space: { maxSamples: [2, 128] },
    search: 'grid',
    trials: 2,
    folds: 3,
    metric: 'roc',
    seed: 1,
    workers: 2,
  });
  assert.equal(report.criterion, 'roc');
  assert.deepEqual(report.best, { maxSamples: 128 });
  assert.equal(report.rows.length, 2);
  assert.ok(report.rows[0]!.mean > report.rows[1]!.mean);
  assert.equal(report.rows[0]!.folds.length, 3);
});

test('in-thread and worker runs agree', async () => {
  const base = { detector: 'knn', space: { nNeighbors: [1, 5] }, search: 'grid' as const, trials: 2, folds: 3, metric: 'pr' as const, seed: 2 };
  const a = await tune(frame, labels, { ...base, workers: 1 });
  const b = await tune(frame, labels, { ...base, workers: 2 });
  assert.deepEqual(a.rows, b.rows);
});

test('without labels the synthetic-outlier criterion ranks a sensible model above a degenerate one', async () => {
  const report = await tune(frame, undefined, {
    detector: 'iforest',
    space: { maxSamples: [2, 128] },
    search: 'grid',
    trials: 2,
    folds: 3,
    metric: 'roc',
    seed: 3,
    workers: 1,
  });
  assert.equal(report.criterion, 'synthetic-roc');
  assert.deepEqual(report.best, { maxSamples: 128 });
  assert.ok(report.rows[0]!.mean > 0.8);
});

test('bad settings in a search space are rejected before any work', async () => {
  await assert.rejects(
    tune(frame, labels, { detector: 'knn', space: { nope: [1] }, search: 'grid', trials: 1, folds: 3, metric: 'roc', seed: 0, workers: 1 }),
    OptionsError,
  );
});
