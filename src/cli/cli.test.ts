import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { barImages, plantedOutliers } from '../testing/synthetic.js';
import { Model } from '../model/model.js';
import { saveModel } from '../persist/file.js';
import { loadTraining } from './input.js';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
const p = (name: string): string => join(dir, name);

function vigil(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A labeled CSV of planted outliers, with an id column and one categorical column. */
function writeTrain(): void {
  const { X, labels } = plantedOutliers({ rows: 200, cols: 3, outliers: 8, seed: 3 });
  const lines = ['id,a,b,c,color,label'];
  for (let i = 0; i < X.rows; i++) {
    const v = Array.from(X.data.subarray(i * 3, i * 3 + 3));
    lines.push([`r${i}`, ...v, i % 3 === 0 ? 'red' : 'blue', labels[i]].join(','));
  }
  writeFileSync(p('train.csv'), lines.join('\n') + '\n');
}

describe('vigil CLI', () => {
  before(writeTrain);

  test('fit, score in a new process, eval: a full round trip with stable scores', () => {
    const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'iforest', '--label', 'label', '--ignore', 'id', '--set', 'seed=4', '--out', p('m.vigil'));
    assert.equal(fit.code, 0, fit.err);
    // 3 numeric columns + 2 colours + the bucket for unseen colours
    assert.match(fit.out, /fitted iforest on 200 rows x 6 features/);
    const s1 = vigil('score', '--model', p('m.vigil'), '--data', p('train.csv'), '--id', 'id', '--out', p('s1.csv'));
    assert.equal(s1.code, 0, s1.err);
    const s2 = vigil('score', '--model', p('m.vigil'), '--data', p('train.csv'), '--id', 'id');
    const file = readFileSync(p('s1.csv'), 'utf8');
    assert.equal(file, s2.out, 'scores from two fresh processes are identical');
    const lines = file.trim().split('\n');
    assert.equal(lines[0], 'id,score,is_anomaly');
    assert.equal(lines.length, 201);
    assert.match(lines[1]!, /^r0,0\.\d+,[01]$/);
    const ev = vigil('eval', '--data', p('train.csv'), '--label', 'label', '--scores', p('s1.csv'), '--json');
    assert.equal(ev.code, 0, ev.err);
    const m = JSON.parse(ev.out) as { rows: number; anomalies: number; roc_auc: number };
    assert.equal(m.rows, 200);
    assert.equal(m.anomalies, 8);
    assert.ok(m.roc_auc > 0.95, `roc ${m.roc_auc}`);
  });

  test('gzip input and --explain columns', () => {
    writeFileSync(p('train.csv.gz'), gzipSync(readFileSync(p('train.csv'))));
    const fit = vigil('fit', '--data', p('train.csv.gz'), '--detector', 'zscore', '--label', 'label', '--ignore', 'id', '--out', p('z.vigil'));
    assert.equal(fit.code, 0, fit.err);
    const s = vigil('score', '--model', p('z.vigil'), '--data', p('train.csv.gz'), '--explain');
    assert.equal(s.code, 0, s.err);
    const [head, first] = s.out.split('\n');
    assert.equal(head, 'row,score,is_anomaly,contrib_a,contrib_b,contrib_c,contrib_color');
    assert.equal(first!.split(',').length, 7);
  });

  const bad: [string, string[], RegExp][] = [
    ['missing file', ['fit', '--data', 'nope.csv', '--detector', 'zscore', '--out', 'x'], /no such file: nope\.csv/],
    ['unknown detector', ['fit', '--data', 'train.csv', '--detector', 'nope', '--out', 'x'], /unknown detector 'nope' \(available: .*iforest/],
    ['unknown option', ['fit', '--data', 'train.csv', '--detector', 'iforest', '--set', 'trees=5', '--out', 'x'], /unknown option 'trees'.*valid options: .*nEstimators/],
    ['bad option value', ['fit', '--data', 'train.csv', '--detector', 'iforest', '--set', 'nEstimators=-1', '--out', 'x'], /nEstimators/],
    ['unknown column', ['fit', '--data', 'train.csv', '--detector', 'zscore', '--label', 'lbl', '--out', 'x'], /unknown column 'lbl' \(columns: id, a, b, c, color, label\)/],
    ['text in a numeric column', ['fit', '--data', 'text.csv', '--detector', 'zscore', '--out', 'x'], /column 'b': row 3 has 'oops' where a number is expected/],
    ['empty file', ['fit', '--data', 'empty.csv', '--detector', 'zscore', '--out', 'x'], /empty/],
    ['no header', ['fit', '--data', 'noheader.csv', '--detector', 'zscore', '--out', 'x'], /looks like data, not a header/],
    ['constant column', ['fit', '--data', 'constant.csv', '--detector', 'zscore', '--out', 'x'], /constant column 'k' carries no information/],
    ['labels other than 0/1', ['fit', '--data', 'labels.csv', '--detector', 'zscore', '--label', 'label', '--out', 'x'], /label.*row 2 has '2'/],
    ['bad contamination', ['fit', '--data', 'train.csv', '--detector', 'zscore', '--contamination', '0.9', '--out', 'x'], /--contamination/],
    ['semi-supervised without labels', ['fit', '--data', 'train.csv', '--detector', 'devnet', '--out', 'x'], /devnet is semi-supervised and learns from labels: add --label <column> \(1 = known anomaly, 0 = unlabeled\)/],
    ['supervised without labels', ['fit', '--data', 'train.csv', '--detector', 'classifier', '--out', 'x'], /classifier is supervised .*--label.*1 = anomaly, 0 = normal/],
    ['semi-supervised bench without a labeled fraction', ['bench', 'tabular', '--data', 'train.csv', '--detectors', 'devnet'], /devnet is semi-supervised: give --labeled-fraction/],
    ['bad labeled fraction', ['bench', 'tabular', '--data', 'train.csv', '--detectors', 'iforest', '--labeled-fraction', '2'], /--labeled-fraction must be a number in \(0, 1\]/],
    ['missing model', ['score', '--model', 'nope.vigil', '--data', 'train.csv'], /no such model file/],
    ['not a model', ['score', '--model', 'train.csv', '--data', 'train.csv'], /not a vigil model file/],
  ];

  for (const [name, args, message] of bad) {
    test(`bad input: ${name} -> one line, exit 2`, () => {
      writeFileSync(p('text.csv'), 'a,b\n' + Array.from({ length: 30 }, (_, i) => `${i},${i === 2 ? 'oops' : i * 2}`).join('\n') + '\n');
      writeFileSync(p('empty.csv'), '');
      writeFileSync(p('noheader.csv'), '1,2\n3,4\n');
      writeFileSync(p('constant.csv'), 'k,v\n1,2\n1,3\n1,5\n');
      writeFileSync(p('labels.csv'), 'a,label\n1,0\n2,2\n');
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
      assert.equal(r.status, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
      assert.match(lines[0]!, /^vigil: /);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('a model file from a future format version is refused clearly', () => {
    const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'zscore', '--ignore', 'id,label', '--out', p('v.vigil'));
    assert.equal(fit.code, 0, fit.err);
    const bytes = readFileSync(p('v.vigil'));
    bytes.writeUInt32LE(99, 8);
    writeFileSync(p('v99.vigil'), bytes);
    const r = vigil('score', '--model', p('v99.vigil'), '--data', p('train.csv'));
    assert.equal(r.code, 2);
    assert.match(r.err, /format version 99 is not supported.*upgrade vigil/);
  });

  test('tune reports settings best first and saves the best as a ready model', () => {
    const r = vigil('tune', '--data', p('train.csv'), '--detector', 'knn', '--label', 'label', '--ignore', 'id', '--search', 'grid', '--folds', '3', '--workers', '1', '--out', p('best.vigil'), '--json', p('tune.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /knn: roc over 3 folds, best first/);
    const report = JSON.parse(readFileSync(p('tune.json'), 'utf8')) as { rows: { mean: number }[]; best: Record<string, unknown> };
    assert.equal(report.rows.length, 10);
    for (let i = 1; i < report.rows.length; i++) assert.ok(report.rows[i - 1]!.mean >= report.rows[i]!.mean);
    const s = vigil('score', '--model', p('best.vigil'), '--data', p('train.csv'));
    assert.equal(s.code, 0, s.err);
    assert.equal(s.out.trim().split('\n').length, 201);
  });

  for (const detector of ['devnet', 'classifier']) {
    test(`${detector}: fit with --label, save, load in a new process: the same scores as the fitting process`, async () => {
      const train = await loadTraining(p('train.csv'), { label: 'label', ignore: 'id' });
      const options = detector === 'devnet' ? { epochs: 3, stepsPerEpoch: 5, batchSize: 64, seed: 2 } : { epochs: 3, seed: 2 };
      const model = await Model.fit(train.frame, { detector, options }, { labels: train.labels });
      const mine = await model.score(train.frame);
      await saveModel(model, p(`${detector}.vigil`));
      const s = vigil('score', '--model', p(`${detector}.vigil`), '--data', p('train.csv'));
      assert.equal(s.code, 0, s.err);
      const theirs = s.out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
      assert.deepEqual(theirs, Array.from(mine));
    });
  }

  test('rotnet on image rows: fit, save, load in a new process: the same scores as the fitting process', async () => {
    const X = barImages(64, 4);
    const header = Array.from({ length: 64 }, (_, k) => `p${k}`).join(',');
    const rows = Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * 64, (i + 1) * 64)).join(','));
    writeFileSync(p('bars.csv'), [header, ...rows].join('\n') + '\n');
    const train = await loadTraining(p('bars.csv'), {});
    const options = { height: 8, width: 8, filters: [4, 8], featureSize: 16, epochs: 5, batchSize: 16, learningRate: 0.01, seed: 2 };
    const model = await Model.fit(train.frame, { detector: 'rotnet', options });
    const mine = await model.score(train.frame);
    await saveModel(model, p('rotnet.vigil'));
    const s = vigil('score', '--model', p('rotnet.vigil'), '--data', p('bars.csv'));
    assert.equal(s.code, 0, s.err);
    const theirs = s.out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    assert.equal(theirs.length, 64);
    assert.deepEqual(theirs, Array.from(mine));
  });

  test('detectors lists every detector with its learning modes', () => {
    const r = vigil('detectors');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\s*devnet\s+deep\s+semi-supervised\s/m);
    assert.match(r.out, /^\s*classifier\s+deep\s+supervised\s/m);
    assert.match(r.out, /^\s*iforest\s+classical\s+unsupervised\s/m);
  });

  test('--help lists every command', () => {
    const r = vigil('--help');
    assert.equal(r.code, 0);
    for (const c of ['fit', 'score', 'eval', 'tune', 'bench', 'detectors']) assert.match(r.out, new RegExp(`\\b${c}\\b`));
  });
});
