import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { plantedOutliers } from '../testing/synthetic.js';
import { scratch, vigil } from './harness.js';

const p = scratch('vigil-explain-');

describe('score --explain says when the detector cannot explain', () => {
  before(() => {
    // 9000 rows: more than two 4096-row chunks, so a note per chunk would show.
    const { X } = plantedOutliers({ rows: 9000, cols: 2, outliers: 5, seed: 2 });
    const lines = ['a,b'];
    for (let i = 0; i < X.rows; i++) lines.push(`${X.data[2 * i]},${X.data[2 * i + 1]}`);
    writeFileSync(p('d.csv'), lines.join('\n') + '\n');
  });

  test('a detector that cannot explain: one note on stderr, no contribution columns', () => {
    assert.equal(vigil('fit', '--data', p('d.csv'), '--detector', 'iforest', '--set', 'nEstimators=10', '--out', p('if.vigil')).code, 0);
    const r = vigil('score', '--model', p('if.vigil'), '--data', p('d.csv'), '--explain');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n')[0], 'row,score,is_anomaly');
    assert.equal(
      r.err,
      'vigil: note: iforest cannot explain its scores, so --explain adds no contribution columns (detectors that can: zscore, robust-z, gesd, grubbs, mahalanobis, kmeans, hbos, ecod, pca, autoencoder, vae, conv-autoencoder; see vigil detectors)\n',
    );
    assert.equal(vigil('score', '--model', p('if.vigil'), '--data', p('d.csv')).err, '', 'no note without --explain');
  });

  test('a detector that can explain: contribution columns and no note', () => {
    assert.equal(vigil('fit', '--data', p('d.csv'), '--detector', 'zscore', '--out', p('z.vigil')).code, 0);
    const r = vigil('score', '--model', p('z.vigil'), '--data', p('d.csv'), '--explain');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.equal(r.out.split('\n')[0], 'row,score,is_anomaly,contrib_a,contrib_b');
  });

  test('vigil detectors marks the detectors that explain', () => {
    const r = vigil('detectors');
    assert.match(r.out, /^ {2}zscore +stats +unsupervised +explains +\S/m);
    assert.match(r.out, /^ {2}iforest +classical +unsupervised {3,}Isolation Forest/m);
    assert.match(vigil('detectors', 'iforest').out, /\n {2}explains: no: score --explain adds no columns\n/);
    assert.match(vigil('detectors', 'pca').out, /\n {2}explains: yes: score --explain writes per-column contributions\n/);
  });
});
