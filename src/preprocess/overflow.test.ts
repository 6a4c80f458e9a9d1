import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameFromArrays } from '../data/objects.js';
import { Preprocessor } from './preprocessor.js';
import { safeMagnitude } from '../core/check-finite.js';

const rows = (big: number): number[][] => Array.from({ length: 40 }, (_, i) => [i === 5 ? big : Math.sin(i), i]);

test('a column whose scaled values would overflow sums of squares is a DataError naming it and its largest row', () => {
  for (const scaler of ['standard', 'robust', 'none'] as const) {
    assert.throws(() => Preprocessor.fit(frameFromArrays(rows(1.7e308), ['amount', 'n']), { scaler }), {
      name: 'DataError',
      message: new RegExp(`^column 'amount': row 6 has 1\\.7e\\+308, too large to fit on: .*scaler: ${scaler}\\)`),
    });
    assert.throws(() => Preprocessor.fit(frameFromArrays(rows(-1.7e308), ['amount', 'n']), { scaler }), /row 6 has -1\.7e\+308/);
  }
});

test('values large but within the bound fit, and their statistics are finite', () => {
  const p = Preprocessor.fit(frameFromArrays(rows(1e150), ['amount', 'n']), { scaler: 'none' });
  const X = p.transform(frameFromArrays(rows(1e150), ['amount', 'n']));
  let ss = 0;
  for (let i = 0; i < X.rows; i++) ss += (2 * X.data[i * 2]!) ** 2;
  assert.ok(Number.isFinite(ss));
  // minmax maps any finite column into [0, 1]: never too large.
  assert.doesNotThrow(() => Preprocessor.fit(frameFromArrays(rows(1.7e308), ['amount', 'n']), { scaler: 'minmax' }));
  // The bound is what it says: n squared doubled values stay finite at it.
  const n = 1000;
  assert.ok(Number.isFinite(n * (2 * safeMagnitude(n)) ** 2));
});
