import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnIndex, dropColumns, selectColumns } from './columns.js';
import { constantColumns } from './constant.js';
import { labelsFromColumn, parseLabel, splitLabel } from './labels.js';
import { frameFromArrays, frameFromObjects } from './objects.js';

const header = ['a', 'b', 'c'];

test('columns are picked by name; unknown names list what there is', () => {
  assert.equal(columnIndex(header, 'b'), 1);
  assert.throws(() => columnIndex(header, 'lbl'), { name: 'DataError', message: "unknown column 'lbl' (columns: a, b, c)" });
  assert.deepEqual(selectColumns(header, { exclude: ['b'] }), ['a', 'c']);
  assert.deepEqual(selectColumns(header, { include: ['c', 'a'] }), ['c', 'a']);
  assert.throws(() => selectColumns(header, { exclude: ['b', 'zz'] }, 'x.csv'), { message: "x.csv: unknown column 'zz' (columns: a, b, c)" });
});

test('labels: numbers equal to 0/1 and true/false; anything else names the row', () => {
  for (const [v, y] of [['0', 0], ['1', 1], ['1.0', 1], ['0.0', 0], [' 1 ', 1], ['TRUE', 1], ['false', 0]] as const) {
    assert.equal(parseLabel(v), y, v);
  }
  for (const v of ['2', '-1', 'yes', 'anomaly', '', 'NA', null]) assert.equal(parseLabel(v), undefined, String(v));
  const table = { header: ['x', 'y'], rows: [['1', '0'], ['2', '1'], ['3', '2']], source: 'x.csv' };
  assert.throws(() => labelsFromColumn(table, 'y'), {
    name: 'DataError',
    message: "x.csv: label column 'y': row 3 has '2'; labels must be 0/1 or true/false",
  });
  table.rows[2]![1] = 'true';
  assert.deepEqual(Array.from(labelsFromColumn(table, 'y')), [0, 1, 1]);
  table.rows[1]![1] = '';
  assert.throws(() => labelsFromColumn(table, 'y'), { message: "x.csv: label column 'y': row 2 has no label; labels must be 0/1 or true/false" });
  assert.throws(() => labelsFromColumn(table, 'lbl'), { message: "x.csv: unknown column 'lbl' (columns: x, y)" });
});

test('frameFromObjects reads JS values by the file rules', () => {
  const f = frameFromObjects([
    { x: 1.5, color: 'red', at: new Date(Date.UTC(2024, 0, 1)), ok: true },
    { x: null, color: 'blue', ok: false },
    { x: NaN, color: undefined, at: '2024-01-02', ok: true, extra: 3 },
  ]);
  assert.deepEqual(
    f.columns.map((c) => [c.name, c.kind]),
    [['x', 'numeric'], ['color', 'categorical'], ['at', 'timestamp'], ['ok', 'categorical'], ['extra', 'numeric']],
  );
  assert.deepEqual(Array.from(f.columns[0]!.values as Float64Array), [1.5, NaN, NaN]);
  assert.deepEqual(f.columns[1]!.values, ['red', 'blue', null]);
  assert.deepEqual(Array.from(f.columns[2]!.values as Float64Array), [Date.UTC(2024, 0, 1), NaN, Date.UTC(2024, 0, 2)]);
  assert.throws(() => frameFromObjects([{ a: [1] }]), { message: "row 1: field 'a' holds a list; only flat values are supported" });
  assert.throws(() => frameFromObjects([{ a: 1 }, { a: 2 }, { a: 'x' }, ...Array.from({ length: 20 }, () => ({ a: 3 }))]), {
    message: "column 'a': row 3 has 'x' where a number is expected",
  });
});

test('frameFromArrays builds numeric columns; NaN is missing', () => {
  const f = frameFromArrays([
    [1, 2],
    [NaN, 4],
  ]);
  assert.deepEqual(f.columns.map((c) => c.name), ['x0', 'x1']);
  assert.deepEqual(Array.from(f.columns[0]!.values as Float64Array), [1, NaN]);
  assert.deepEqual(frameFromArrays([[1, 2]], ['u', 'v']).columns.map((c) => c.name), ['u', 'v']);
  assert.throws(() => frameFromArrays([[1, 2], [3]]), { message: 'row 2 has 1 values, expected 2' });
  assert.throws(() => frameFromArrays([[1, Infinity]]), { message: "column 'x1': row 1 has 'Infinity' where a number is expected" });
  assert.throws(() => frameFromArrays([[1, 2]], ['u', 'u']), { message: "duplicate column name 'u' (columns 1 and 2)" });
});

test('splitLabel and dropColumns', () => {
  const f = frameFromObjects([
    { a: 1, y: 0 },
    { a: 2, y: 1 },
  ]);
  const s = splitLabel(f, 'y');
  assert.deepEqual(s.frame.columns.map((c) => c.name), ['a']);
  assert.deepEqual(Array.from(s.labels), [0, 1]);
  assert.deepEqual(dropColumns(f, ['a']).columns.map((c) => c.name), ['y']);
  assert.throws(() => dropColumns(f, ['q']), { message: "unknown column 'q' (columns: a, y)" });
});

test('constant columns: one distinct present value, or none', () => {
  const f = frameFromObjects([
    { a: 1, k: 5, e: null, c: 'x', d: 'x', t: '2024-01-01' },
    { a: 2, k: 5, e: null, c: 'y', d: null, t: '2024-01-01' },
    { a: 3, k: null, e: null, c: 'x', d: 'x', t: '2024-01-01' },
  ]);
  assert.deepEqual(constantColumns(f), ['k', 'e', 'd']);
});
