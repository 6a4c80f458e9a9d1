/**
 * Windows line ends, and files that mix them (a Windows header on Unix rows, as concatenated
 * exports give): fit, score and eval read them as they read Unix files, ids and the last
 * column's name intact.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantedOutliers } from '../testing/synthetic.js';
import { runVigil } from './run-vigil.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-eol-'));
const p = (name: string): string => join(dir, name);

const ENDINGS: Record<string, (i: number) => string> = {
  lf: () => '\n',
  crlf: () => '\r\n',
  cr: () => '\r',
  'crlf header, lf rows': (i) => (i === 0 ? '\r\n' : '\n'),
  'lf header, crlf rows': (i) => (i === 0 ? '\n' : '\r\n'),
  'mixed rows': (i) => (i % 2 ? '\r\n' : '\n'),
};

describe('line endings', () => {
  const lines: string[] = [];
  before(() => {
    const { X, labels } = plantedOutliers({ rows: 150, cols: 2, outliers: 6, seed: 8 });
    // The id first and the label last: the columns a stray \r or \n would stick to.
    lines.push('id,a,b,label');
    for (let i = 0; i < X.rows; i++) lines.push(`r${i},${X.data[2 * i]},${X.data[2 * i + 1]},${labels[i]}`);
    for (const [name, end] of Object.entries(ENDINGS)) writeFileSync(p(`${name}.csv`), lines.map((l, i) => l + end(i)).join(''));
  });

  for (const name of Object.keys(ENDINGS)) {
    test(`${name}: fit, score --id and eval give what the Unix file gives`, () => {
      const file = p(`${name}.csv`);
      const fit = runVigil(['fit', '--data', file, '--detector', 'zscore', '--ignore', 'id', '--label', 'label', '--out', p(`${name}.vigil`)]);
      assert.equal(fit.code, 0, fit.err);
      assert.match(fit.out, /on 150 rows x 2 features/);
      const score = runVigil(['score', '--model', p(`${name}.vigil`), '--data', file, '--id', 'id', '--out', p(`${name}.scores.csv`)]);
      assert.equal(score.code, 0, score.err);
      const scores = readFileSync(p(`${name}.scores.csv`), 'utf8');
      assert.doesNotMatch(scores, /\r/);
      const ids = scores.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
      assert.deepEqual(ids, lines.slice(1).map((l) => l.split(',')[0]));
      const lf = runVigil(['score', '--model', p(`${name}.vigil`), '--data', p('lf.csv'), '--id', 'id']);
      assert.equal(scores, lf.out, 'the same scores as from the Unix file');
      const ev = runVigil(['eval', '--data', file, '--label', 'label', '--scores', p(`${name}.scores.csv`), '--json']);
      assert.equal(ev.code, 0, ev.err);
      assert.deepEqual(JSON.parse(ev.out).anomalies, 6);
    });
  }
});
