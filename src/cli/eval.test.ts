import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Rng } from '../core/random.js';
import { plantedOutliers } from '../testing/synthetic.js';
import { scratch, vigil } from './harness.js';

const p = scratch('vigil-eval-');

/** The header line, then the other lines in a seeded random order. */
function shuffled(file: string, seed: number): string {
  const [head, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const order = new Rng(seed).permutation(rows.length);
  return [head, ...Array.from(order, (i) => rows[i]!)].join('\n') + '\n';
}

const edit = (file: string, f: (lines: string[]) => string[]): string => f(readFileSync(file, 'utf8').trimEnd().split('\n')).join('\n') + '\n';
const evalJson = (...args: string[]): { roc_auc: number; pr_auc: number; joined_on: { kind: string; column?: string }; rows: number; at_threshold: unknown } => {
  const r = vigil('eval', '--data', p('d.csv'), '--label', 'label', '--json', ...args);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};
const refused = (...args: string[]): string => {
  const r = vigil('eval', '--data', p('d.csv'), '--label', 'label', ...args);
  assert.equal(r.code, 2, r.out);
  assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
  return r.err;
};

describe('eval pairs scores and labels by id', () => {
  before(() => {
    const { X, labels } = plantedOutliers({ rows: 300, cols: 3, outliers: 10, seed: 6 });
    const lines = ['key,a,b,c,label'];
    for (let i = 0; i < X.rows; i++) lines.push([`k${i}`, X.data[3 * i], X.data[3 * i + 1], X.data[3 * i + 2], labels[i]].join(','));
    writeFileSync(p('d.csv'), lines.join('\n') + '\n');
    assert.equal(vigil('fit', '--data', p('d.csv'), '--detector', 'zscore', '--label', 'label', '--id', 'key', '--out', p('m.vigil')).code, 0);
    assert.equal(vigil('score', '--model', p('m.vigil'), '--data', p('d.csv'), '--id', 'key', '--out', p('ids.csv')).code, 0);
    assert.equal(vigil('score', '--model', p('m.vigil'), '--data', p('d.csv'), '--out', p('rows.csv')).code, 0);
  });

  test('a shuffled scores file gives the same ROC as the ordered one: joined on the id', () => {
    writeFileSync(p('ids-shuffled.csv'), shuffled(p('ids.csv'), 1));
    const ordered = evalJson('--scores', p('ids.csv'));
    const mixed = evalJson('--scores', p('ids-shuffled.csv'));
    assert.ok(ordered.roc_auc > 0.9, `${ordered.roc_auc}`);
    assert.deepEqual(mixed, ordered);
    assert.deepEqual(mixed.joined_on, { kind: 'id', column: 'key' });
    assert.match(vigil('eval', '--data', p('d.csv'), '--label', 'label', '--scores', p('ids-shuffled.csv')).out, /paired by +id column 'key'/);
  });

  test('row numbers are a key too; only a file with neither pairs by position', () => {
    writeFileSync(p('rows-shuffled.csv'), shuffled(p('rows.csv'), 2));
    const ordered = evalJson('--scores', p('ids.csv'));
    const byRow = evalJson('--scores', p('rows-shuffled.csv'));
    assert.deepEqual(byRow.joined_on, { kind: 'row' });
    assert.equal(byRow.roc_auc, ordered.roc_auc);
    writeFileSync(p('bare.csv'), edit(p('rows.csv'), (l) => l.map((x) => x.slice(x.indexOf(',') + 1))));
    const bare = evalJson('--scores', p('bare.csv'));
    assert.deepEqual(bare.joined_on, { kind: 'position' });
    assert.equal(bare.roc_auc, ordered.roc_auc);
  });

  test('a data column named row is an id like any other', () => {
    writeFileSync(p('d-row.csv'), edit(p('d.csv'), ([h, ...r]) => [h!.replace(/^key/, 'row'), ...r]));
    assert.equal(vigil('score', '--model', p('m.vigil'), '--data', p('d-row.csv'), '--id', 'row', '--out', p('by-row-id.csv')).code, 0);
    writeFileSync(p('by-row-id-shuffled.csv'), shuffled(p('by-row-id.csv'), 3));
    const r = vigil('eval', '--data', p('d-row.csv'), '--label', 'label', '--scores', p('by-row-id-shuffled.csv'), '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.joined_on, { kind: 'id', column: 'row' });
    assert.equal(j.roc_auc, evalJson('--scores', p('ids.csv')).roc_auc);
  });

  test('the data names its id column differently: --id says which', () => {
    writeFileSync(p('renamed.csv'), edit(p('ids.csv'), ([h, ...r]) => [h!.replace(/^key/, 'txn'), ...r]));
    const err = refused('--scores', p('renamed.csv'));
    assert.match(err, /^vigil: \S+d\.csv has no column 'txn' to join the scores on \(\S+renamed\.csv is keyed by 'txn', as score --id wrote it\); name the id column of \S+d\.csv with --id \(columns: key, a, b, c, label\)\n$/);
    assert.deepEqual(evalJson('--scores', p('renamed.csv'), '--id', 'key').joined_on, { kind: 'id', column: 'key' });
  });

  test('a mismatch is refused in one line: an unknown id, a duplicate, a missing row, differing counts', () => {
    writeFileSync(p('stranger.csv'), edit(p('ids.csv'), (l) => [...l.slice(0, -1), l[l.length - 1]!.replace(/^k299,/, 'k999,')]));
    assert.match(refused('--scores', p('stranger.csv')), /stranger\.csv: key id 'k999' \(scores row 300\) is not in \S+d\.csv\n$/);
    writeFileSync(p('twice.csv'), edit(p('ids.csv'), (l) => [...l.slice(0, -1), l[1]!]));
    assert.match(refused('--scores', p('twice.csv')), /twice\.csv: key id 'k0' appears more than once\n$/);
    writeFileSync(p('short.csv'), edit(p('ids.csv'), (l) => l.filter((_, i) => i !== 5)));
    assert.match(refused('--scores', p('short.csv')), /d\.csv has 300 rows but \S+short\.csv has 299 scores \(key id 'k4' has none\)\n$/);
    writeFileSync(p('bare-short.csv'), edit(p('bare.csv'), (l) => l.slice(0, -1)));
    assert.match(refused('--scores', p('bare-short.csv')), /d\.csv has 300 rows but \S+bare-short\.csv has 299 scores \(and no id column to join on\)\n$/);
    writeFileSync(p('rows-bad.csv'), edit(p('rows.csv'), (l) => [...l.slice(0, -1), l[l.length - 1]!.replace(/^300,/, '301,')]));
    assert.match(refused('--scores', p('rows-bad.csv')), /rows-bad\.csv: row number '301' \(scores row 300\) is not in \S+d\.csv\n$/);
  });

  test('duplicate ids in the data are refused', () => {
    const data = readFileSync(p('d.csv'), 'utf8').replace(/\nk1,/, '\nk0,');
    writeFileSync(p('dup-data.csv'), data);
    const r = vigil('eval', '--data', p('dup-data.csv'), '--label', 'label', '--scores', p('ids.csv'));
    assert.equal(r.code, 2);
    assert.match(r.err, /^vigil: \S+dup-data\.csv: id 'k0' in column 'key' appears more than once \(rows 1 and 2\); ids must be unique to join scores on them\n$/);
  });
});
