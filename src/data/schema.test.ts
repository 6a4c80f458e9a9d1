import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../core/errors.js';
import { toFrame } from './convert.js';
import { inferSchema } from './schema.js';
import type { RawRow } from './table.js';
import { MISSING_TOKENS, isMissing, parseNumber, parseTimestamp } from './values.js';

test('missing tokens in every spelling', () => {
  for (const v of ['', '  ', 'NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'NULL', 'null', 'None', 'NONE', '?', ' NA ', null]) {
    assert.ok(isMissing(v), `'${v}' is missing`);
  }
  for (const v of ['0', 'nana', 'n.a.', '-', 'Nothing', 'nullable']) assert.ok(!isMissing(v), `'${v}' is a value`);
  assert.deepEqual(MISSING_TOKENS, ['', 'na', 'n/a', 'nan', 'null', 'none', '?']);
});

test('numbers are plain decimal notation and finite', () => {
  assert.equal(parseNumber(' 3.5 '), 3.5);
  assert.equal(parseNumber('-1e-3'), -0.001);
  assert.equal(parseNumber('.5'), 0.5);
  assert.equal(parseNumber('5.'), 5);
  assert.equal(parseNumber('+7'), 7);
  for (const v of ['0x10', 'Infinity', '1e999', '1,5', '1 000', 'abc', '', '1.2.3', 'e5']) assert.equal(parseNumber(v), undefined, v);
});

test('ISO-8601 dates and date-times; no zone means UTC', () => {
  assert.equal(parseTimestamp('2024-03-01'), Date.UTC(2024, 2, 1));
  assert.equal(parseTimestamp('2024-03-01T12:30'), Date.UTC(2024, 2, 1, 12, 30));
  assert.equal(parseTimestamp('2024-03-01 12:30:15.25'), Date.UTC(2024, 2, 1, 12, 30, 15, 250));
  assert.equal(parseTimestamp('2024-03-01T12:30:15Z'), Date.UTC(2024, 2, 1, 12, 30, 15));
  assert.equal(parseTimestamp('2024-03-01T12:30:15+02:00'), Date.UTC(2024, 2, 1, 10, 30, 15));
  assert.equal(parseTimestamp('2024-03-01T12:30:15-0130'), Date.UTC(2024, 2, 1, 14, 0, 15));
  assert.equal(parseTimestamp('2024-02-29'), Date.UTC(2024, 1, 29));
  for (const v of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-01-01T24:00', '01/02/2024', '2024', '2024-1-1', 'x']) {
    assert.equal(parseTimestamp(v), undefined, v);
  }
});

const header = ['num', 'cat', 'ts', 'mixed'];
const rows: RawRow[] = [
  ['1', 'red', '2024-01-01', 'a'],
  ['2.5', 'blue', '2024-01-02T10:00:00Z', '1'],
  ['NA', null, '', '2'],
  ['-3e2', 'red', '2024-01-03', 'b'],
];

test('inference: numeric, categorical, timestamp, and missing values do not vote', () => {
  assert.deepEqual(inferSchema(header, rows), [
    { name: 'num', kind: 'numeric' },
    { name: 'cat', kind: 'categorical' },
    { name: 'ts', kind: 'timestamp' },
    { name: 'mixed', kind: 'categorical' },
  ]);
  // An entirely missing column is numeric: constantColumns then reports it.
  assert.deepEqual(inferSchema(['e'], [['NA'], ['']]), [{ name: 'e', kind: 'numeric' }]);
});

test('options force categorical or timestamp', () => {
  const specs = inferSchema(header, rows, { categorical: ['num'], timestamp: ['ts'] });
  assert.equal(specs[0]!.kind, 'categorical');
  assert.equal(specs[2]!.kind, 'timestamp');
  assert.throws(() => inferSchema(header, rows, { categorical: ['lbl'] }), {
    name: 'DataError',
    message: "unknown column 'lbl' (columns: num, cat, ts, mixed)",
  });
  assert.throws(() => inferSchema(header, rows, { timestamp: ['cat'] }), {
    message: "column 'cat': row 1 has 'red' where a timestamp is expected",
  });
  assert.throws(() => inferSchema(header, rows, { categorical: ['ts'], timestamp: ['ts'] }), OptionsError);
});

test('a mostly numeric column with a few texts is an error naming the first bad row', () => {
  const amount: RawRow[] = Array.from({ length: 30 }, (_, i) => [i === 16 ? 'abc' : i === 20 ? 'n.a.' : String(i)]);
  assert.throws(() => inferSchema(['amount'], amount), {
    name: 'DataError',
    message: "column 'amount': row 17 has 'abc' where a number is expected",
  });
  assert.throws(() => inferSchema(['amount'], amount, { firstRowNumber: 101, source: 'x.csv' }), {
    message: "x.csv: column 'amount': row 117 has 'abc' where a number is expected",
  });
  // 8 of 10 numbers is below the 90% line: a genuine categorical column.
  const codes: RawRow[] = Array.from({ length: 10 }, (_, i) => [i < 8 ? String(i) : 'X']);
  assert.equal(inferSchema(['code'], codes)[0]!.kind, 'categorical');
});

test('toFrame converts under a fixed schema and numbers rows from firstRowNumber', () => {
  const specs = inferSchema(header, rows);
  const f = toFrame(specs, rows);
  assert.equal(f.rows, 4);
  const [num, cat, ts, mixed] = f.columns;
  assert.deepEqual(Array.from(num!.values as Float64Array), [1, 2.5, NaN, -300]);
  assert.deepEqual(cat!.values, ['red', 'blue', null, 'red']);
  assert.deepEqual(Array.from(ts!.values as Float64Array), [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2, 10), NaN, Date.UTC(2024, 0, 3)]);
  assert.deepEqual(mixed!.values, ['a', '1', '2', 'b']);

  const chunk: RawRow[] = [['4', 'red', '2024-01-04', 'c'], ['oops', 'red', '2024-01-05', 'c']];
  assert.throws(() => toFrame(specs, chunk, 4001), {
    name: 'DataError',
    message: "column 'num': row 4002 has 'oops' where a number is expected",
  });
  assert.throws(() => toFrame(specs, [['1', 'a', 'soon', 'c']], 7, 'x.csv'), {
    message: "x.csv: column 'ts': row 7 has 'soon' where a timestamp is expected",
  });
  assert.throws(() => toFrame(specs, [['1', 'a']], 9), { message: 'row 9 has 2 fields, header has 4' });
});

test('categorical cells are trimmed, numeric cells tolerate padding', () => {
  const f = toFrame(
    [
      { name: 'c', kind: 'categorical' },
      { name: 'n', kind: 'numeric' },
    ],
    [[' red ', ' 2 ']],
  );
  assert.deepEqual(f.columns[0]!.values, ['red']);
  assert.deepEqual(Array.from(f.columns[1]!.values as Float64Array), [2]);
});
