/**
 * Numbers beyond what a double holds, and finite ones whose squares are not: each is one line
 * naming the row and the column, at fit, score and stream, never a silent Infinity, NaN or null.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, runVigil } from './run-vigil.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-overflow-'));
const p = (name: string): string => join(dir, name);

/** 50 ordinary rows of a,b with `cell` as column a of data row 8. */
function withCell(name: string, cell: string): string {
  const rows = Array.from({ length: 50 }, (_, i) => `${i === 7 ? cell : Math.sin(i)},${Math.cos(3 * i)}`);
  writeFileSync(p(name), ['a,b', ...rows].join('\n') + '\n');
  return p(name);
}

describe('overflowing numbers', () => {
  before(() => {
    const ok = runVigil(['fit', '--data', withCell('ok.csv', '0.5'), '--detector', 'zscore', '--out', p('m.vigil')]);
    assert.equal(ok.code, 0, ok.err);
  });

  for (const cell of ['1e400', '-1e400', '1.8e308']) {
    test(`reading ${cell}: fit and score name the row and column`, () => {
      const file = withCell(`inf${cell}.csv`, cell);
      const message = new RegExp(`column 'a': row 8 has '${cell.replace(/[.+-]/g, '\\$&')}', a number too large for a double \\(beyond ±1\\.8e308\\)`);
      assertOneLineError(runVigil(['fit', '--data', file, '--detector', 'zscore', '--out', p('x.vigil')]), message);
      const s = runVigil(['score', '--model', p('m.vigil'), '--data', file]);
      assert.equal(s.code, 0, s.err);
      assert.match(s.err, new RegExp(`^vigil: .*${message.source}; skipped\n`));
    });
  }

  for (const scaler of ['standard', 'robust', 'none']) {
    for (const detector of ['zscore', 'pca', 'knn']) {
      test(`fitting 1.7e308 with the ${scaler} scaler (${detector}): its statistics would overflow, a DataError names the column and row`, () => {
        const r = runVigil(['fit', '--data', withCell('big.csv', '1.7e308'), '--detector', detector, '--scaler', scaler, '--out', p('x.vigil')]);
        assertOneLineError(r, /^vigil: column 'a': row 8 has 1\.7e\+308, too large to fit on: sums and squares of the column overflow a double/);
      });
    }
  }

  test('scoring 1.7e308 with a model fitted on ordinary data: the row is bad data, not a score of Infinity', () => {
    const file = withCell('big.csv', '1.7e308');
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', file, '--explain']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^vigil: .*big\.csv: row 8: column 'a' has 1\.7e\+308, too large for the model to score \(its score is Infinity\); skipped\n/);
    assert.doesNotMatch(r.out, /Infinity|NaN/);
    const rows = r.out.trim().split('\n').slice(1).map((l) => l.split(','));
    assert.equal(rows.length, 49);
    assert.deepEqual(rows.slice(6, 8).map((c) => [c[0], c.length]), [['7', 5], ['9', 5]]);
    assertOneLineError(runVigil(['score', '--model', p('m.vigil'), '--data', file, '--strict']), /row 8: column 'a' has 1\.7e\+308, too large for the model to score/);
  });

  test('a large value whose statistics stay finite still fits: minmax maps it into [0, 1]', () => {
    const r = runVigil(['fit', '--data', withCell('big.csv', '1.7e308'), '--detector', 'pca', '--scaler', 'minmax', '--out', p('x.vigil')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /threshold \d/, 'a finite threshold');
  });

  test('stream: 1e400 in NDJSON or CSV is a skipped line saying so, not "null"', () => {
    for (const input of ['{"value":1}\n{"value":1e400}\n{"value":2}\n', 'value\n1e400\n2\n3\n', '{"value":1}\n{"value":"-1e400"}\n']) {
      const r = runVigil(['stream', '--detector', 'rolling-z'], { input });
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /^vigil: line 2: column 'value' is a number too large for a double \(beyond ±1\.8e308\); skipped\n$/);
    }
  });
});
