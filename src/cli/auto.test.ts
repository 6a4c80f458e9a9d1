import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { plantedOutliers } from '../testing/synthetic.js';
import { assertOneLineError, runVigil } from './run-vigil.js';
import { scratch } from './harness.js';

const p = scratch('vigil-auto-');
const { X, labels } = plantedOutliers({ rows: 200, cols: 3, outliers: 8, seed: 2 });
const lines = ['a,b,c,label'];
for (let i = 0; i < X.rows; i++) lines.push(`${X.data[i * 3]},${X.data[i * 3 + 1]},${X.data[i * 3 + 2]},${labels[i]}`);
writeFileSync(p('train.csv'), lines.join('\n') + '\n');

test('vigil fit --detector auto says what it chose and why; inspect shows it, as text and JSON', () => {
  const fit = runVigil(['fit', '--data', p('train.csv'), '--detector', 'auto', '--ignore', 'label', '--out', p('m.vigil')]);
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.out, /^auto chose ensemble of iforest, knn, lof, hbos, kmeans \(ensemble\): no labels: /m);
  const text = runVigil(['inspect', p('m.vigil')]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^auto chose ensemble of iforest, knn, lof, hbos, kmeans \(ensemble\)/m);
  const json = JSON.parse(runVigil(['inspect', p('m.vigil'), '--json']).out) as { auto?: { method: string; members: string[] } };
  assert.equal(json.auto?.method, 'ensemble');
  assert.deepEqual(json.auto?.members, ['iforest', 'knn', 'lof', 'hbos', 'kmeans']);
  const score = runVigil(['score', '--model', p('m.vigil'), '--data', p('train.csv')]);
  assert.equal(score.code, 0, score.err);
});

test('vigil fit --detector auto --label cross-validates on PR-AUC among the candidates given', () => {
  const fit = runVigil(['fit', '--data', p('train.csv'), '--detector', 'auto', '--label', 'label', '--set', 'candidates=["iforest","hbos"]', '--out', p('l.vigil')]);
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.out, /^auto chose (iforest|hbos) \(cross-validation\): 8 labeled anomalies: (iforest|hbos) \(unsupervised\) had the highest mean PR-AUC over 3 stratified folds/m);
});

test('vigil fit --detector auto: a bad option is a one-line error', () => {
  assertOneLineError(runVigil(['fit', '--data', p('train.csv'), '--detector', 'auto', '--ignore', 'label', '--set', 'folds=1', '--out', p('x.vigil')]), /auto: 'folds'/);
  assertOneLineError(
    runVigil(['fit', '--data', p('train.csv'), '--detector', 'auto', '--ignore', 'label', '--set', 'members=["classifier"]', '--out', p('x.vigil')]),
    /member 'classifier' must be an unsupervised detector/,
  );
});

test('vigil fit --detector auto with a series flag fits the series ensemble and says so', () => {
  const rows = ['ts,value'];
  for (let i = 0; i < 300; i++) rows.push(`${new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()},${Math.sin(i / 8) + (i === 250 ? 3 : 0)}`);
  writeFileSync(p('series.csv'), rows.join('\n') + '\n');
  const fit = runVigil(['fit', '--data', p('series.csv'), '--detector', 'auto', '--timestamp', 'ts', '--out', p('s.vigil')]);
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.out, /^fitted series-auto on 300 steps/m);
  assert.match(fit.out, /^auto chose ensemble of seasonal, discord \(ensemble\): series, no labels read/m);
});
