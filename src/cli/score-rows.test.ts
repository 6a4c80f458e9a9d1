/**
 * `vigil score` and bad rows, with the policy `vigil stream` has for bad lines: skipped with one
 * line each on stderr by default, the first one stops the run under --strict, and a run where
 * every row was skipped fails. Bad rows past the first chunk (4096 rows) are found too.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVigil } from './run-vigil.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-score-rows-'));
const p = (name: string): string => join(dir, name);
const ROWS = 10_000;

describe('score: bad rows', () => {
  before(() => {
    const row = (i: number): string => `r${i},${Math.sin(i)},${Math.cos(3 * i)}`;
    writeFileSync(p('train.csv'), ['id,a,b', ...Array.from({ length: 200 }, (_, i) => row(i))].join('\n') + '\n');
    const lines = ['id,a,b', ...Array.from({ length: ROWS }, (_, i) => row(i))];
    lines[5001] = 'r5000,oops,1'; // data row 5001: text in a numeric column
    lines[7001] = 'r7000,1,2,3'; // data row 7001: one field too many
    writeFileSync(p('bad.csv'), lines.join('\n') + '\n');
    writeFileSync(p('allbad.csv'), 'id,a,b\nx,one,1\ny,two,2\n');
    const fit = runVigil(['fit', '--data', p('train.csv'), '--detector', 'zscore', '--ignore', 'id', '--out', p('m.vigil')]);
    assert.equal(fit.code, 0, fit.err);
  });

  test('by default a bad row is skipped with one line naming it, the rest is scored', () => {
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', p('bad.csv'), '--id', 'id', '--out', p('s.csv')]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.err.trim().split('\n'), [
      `vigil: ${p('bad.csv')}: column 'a': row 5001 has 'oops' where a number is expected; skipped`,
      `vigil: ${p('bad.csv')}: row 7001 has 4 fields, header has 3; skipped`,
      'vigil: scored 9998 rows, skipped 2 bad rows (--strict stops at the first)',
    ]);
    const ids = readFileSync(p('s.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    assert.equal(ids.length, ROWS - 2);
    assert.deepEqual(ids.slice(4999, 5001), ['r4999', 'r5001'], 'the bad row, and only it, is left out');
    assert.ok(!ids.includes('r7000'));
  });

  test('without --id, the row column keeps the file row numbers', () => {
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', p('bad.csv')]);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    assert.deepEqual(rows.slice(4999, 5001), ['5000', '5002']);
  });

  test('--strict stops at the first bad row in file order, exit 2, no output file', () => {
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', p('bad.csv'), '--out', p('strict.csv'), '--strict']);
    assert.equal(r.code, 2);
    assert.equal(r.err, `vigil: ${p('bad.csv')}: column 'a': row 5001 has 'oops' where a number is expected\n`);
    assert.equal(existsSync(p('strict.csv')), false);
  });

  test('--strict on standard output says how many rows went out before the error', () => {
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', p('bad.csv'), '--strict']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^vigil: .*row 5001 has 'oops'.* \(standard output has the 4096 rows scored before it\)\n$/);
    assert.equal(r.out.trim().split('\n').length, 4097);
  });

  test('a run where every row was skipped fails and writes nothing', () => {
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', p('allbad.csv'), '--out', p('none.csv')]);
    assert.equal(r.code, 2);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[2]!, /^vigil: .*allbad\.csv: every row was skipped \(2 bad rows\); nothing was scored$/);
    assert.equal(existsSync(p('none.csv')), false);
  });
});
