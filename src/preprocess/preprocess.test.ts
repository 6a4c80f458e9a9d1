import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError, OptionsError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { toRows } from '../core/matrix.js';
import type { Frame } from '../data/frame.js';
import { categoryFill, numericFill, rankByFrequency } from './impute.js';
import { fitLevels } from './onehot.js';
import { Preprocessor } from './preprocessor.js';
import { fitScale } from './scale.js';

const a = Float64Array.from([1, 2, NaN, 4, 10]);
const close = (x: number, y: number): void => assert.ok(Math.abs(x - y) < 1e-12, `${x} != ${y}`);

test('numeric imputation: median or mean of the present values; nothing present -> 0', () => {
  assert.equal(numericFill(a, 'median'), 3);
  assert.equal(numericFill(a, 'mean'), 4.25);
  assert.equal(numericFill(Float64Array.from([NaN, NaN]), 'median'), 0);
  assert.ok(Object.is(numericFill(Float64Array.from([-0]), 'mean'), 0));
});

test('categorical imputation and levels: most frequent first, ties in code-unit order', () => {
  const colour = ['red', 'blue', 'red', null, 'green', 'red', 'blue'];
  assert.deepEqual(rankByFrequency(colour), ['red', 'blue', 'green']);
  assert.equal(categoryFill(colour), 'red');
  assert.equal(categoryFill([null, null]), null);
  assert.deepEqual(rankByFrequency(['b', 'a', 'B']), ['B', 'a', 'b']);
  assert.deepEqual(fitLevels(colour, 2), ['red', 'blue']);
});

test('scalers against hand-computed values', () => {
  // mean 4.25; squared deviations 10.5625 + 5.0625 + 0.0625 + 33.0625 = 48.75 over 4
  const st = fitScale(a, 'standard');
  assert.equal(st.center, 4.25);
  close(st.scale, Math.sqrt(12.1875));
  // sorted 1 2 4 10: q25 = 1.75, median 3, q75 = 5.5
  assert.deepEqual(fitScale(a, 'robust'), { center: 3, scale: 3.75 });
  assert.deepEqual(fitScale(a, 'minmax'), { center: 1, scale: 9 });
  assert.deepEqual(fitScale(a, 'none'), { center: 0, scale: 1 });
  const constant = Float64Array.from([5, 5, NaN, 5]);
  for (const k of ['standard', 'robust', 'minmax'] as const) assert.deepEqual(fitScale(constant, k), { center: 5, scale: 1 });
  assert.deepEqual(fitScale(Float64Array.from([NaN]), 'standard'), { center: 0, scale: 1 });
});

function frame(): Frame {
  return {
    rows: 5,
    columns: [
      { name: 'a', kind: 'numeric', values: a },
      { name: 'colour', kind: 'categorical', values: ['red', 'blue', null, 'green', 'red'] },
      { name: 'at', kind: 'timestamp', values: Float64Array.from([0, 1, 2, 3, 4]) },
    ],
  };
}

test('robust scaling and one-hot encoding end to end', () => {
  const p = Preprocessor.fit(frame(), { scaler: 'robust', maxLevels: 2 });
  assert.deepEqual(p.spec, { scaler: 'robust', impute: 'median', maxLevels: 2 });
  assert.deepEqual(p.featureNames, ['a', 'colour=red', 'colour=blue', 'colour=<other>']);
  assert.deepEqual(p.featureColumns, ['a', 'colour', 'colour', 'colour']);
  assert.deepEqual(p.columns, [
    { name: 'a', kind: 'numeric' },
    { name: 'colour', kind: 'categorical' },
    { name: 'at', kind: 'timestamp' },
  ]);
  const X = p.transform(frame());
  assert.deepEqual(toRows(X), [
    [(1 - 3) / 3.75, 1, 0, 0],
    [(2 - 3) / 3.75, 0, 1, 0],
    // missing number -> median 3 -> 0; missing colour -> most frequent (red)
    [0, 1, 0, 0],
    // green is beyond maxLevels = 2: the other bucket
    [(4 - 3) / 3.75, 0, 0, 1],
    [(10 - 3) / 3.75, 1, 0, 0],
  ]);
});

test('defaults: standard scaling, median imputation; minmax maps training onto [0, 1]', () => {
  const p = Preprocessor.fit(frame());
  assert.deepEqual(p.spec, { scaler: 'standard', impute: 'median', maxLevels: 50 });
  const sd = Math.sqrt(12.1875);
  const col0 = toRows(p.transform(frame())).map((r) => r[0]!);
  [1, 2, 3, 4, 10].forEach((x, i) => close(col0[i]!, (x - 4.25) / sd));
  const m = Preprocessor.fit(frame(), { scaler: 'minmax', impute: 'mean' });
  assert.deepEqual(
    toRows(m.transform(frame())).map((r) => r[0]),
    [0, 1 / 9, (4.25 - 1) / 9, 3 / 9, 1],
  );
});

test('values unseen in training go to the other bucket', () => {
  const p = Preprocessor.fit(frame(), { scaler: 'none' });
  assert.deepEqual(p.featureNames, ['a', 'colour=red', 'colour=blue', 'colour=green', 'colour=<other>']);
  const X = p.transform({
    rows: 2,
    columns: [
      { name: 'colour', kind: 'categorical', values: ['purple', 'blue'] },
      { name: 'a', kind: 'numeric', values: Float64Array.from([7, NaN]) },
    ],
  });
  assert.deepEqual(toRows(X), [
    [7, 0, 0, 0, 1],
    [3, 0, 1, 0, 0],
  ]);
});

test('transform needs the fitted columns with their kinds', () => {
  const p = Preprocessor.fit(frame());
  assert.throws(() => p.transform({ rows: 1, columns: [{ name: 'a', kind: 'numeric', values: Float64Array.from([1]) }] }), {
    name: 'DataError',
    message: "missing column 'colour' that the preprocessor was fitted on (have: a)",
  });
  assert.throws(
    () =>
      p.transform({
        rows: 1,
        columns: [
          { name: 'a', kind: 'categorical', values: ['1'] },
          { name: 'colour', kind: 'categorical', values: ['red'] },
        ],
      }),
    { message: "column 'a' is categorical here but was numeric when fitted" },
  );
});

test('a bad spec is an OptionsError', () => {
  assert.throws(() => Preprocessor.fit(frame(), { scaler: 'zscore' as 'none' }), OptionsError);
  assert.throws(() => Preprocessor.fit(frame(), { maxLevels: 0 }), OptionsError);
});

test('transform is bit-identical after a JSON round trip of the state', () => {
  const rng = new Rng(11);
  const n = 300;
  const levels = ['a', 'b', 'c', 'd', 'e', 'f'];
  const f: Frame = {
    rows: n,
    columns: [
      { name: 'u', kind: 'numeric', values: Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.normal() * 1e3 + 0.1)) },
      { name: 'v', kind: 'numeric', values: Float64Array.from({ length: n }, () => rng.uniform(-1e-7, 1e-7)) },
      { name: 'w', kind: 'categorical', values: Array.from({ length: n }, () => (rng.next() < 0.1 ? null : levels[rng.int(levels.length)]!)) },
    ],
  };
  for (const scaler of ['standard', 'robust', 'minmax', 'none'] as const) {
    for (const impute of ['median', 'mean'] as const) {
      const p = Preprocessor.fit(f, { scaler, impute, maxLevels: 4 });
      const q = Preprocessor.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
      assert.deepEqual(q.toJSON(), p.toJSON());
      assert.deepEqual(q.featureNames, p.featureNames);
      const x = p.transform(f).data;
      const y = q.transform(f).data;
      assert.ok(Buffer.from(x.buffer).equals(Buffer.from(y.buffer)), `${scaler}/${impute}`);
    }
  }
});

test('a malformed saved state is a FormatError', () => {
  const good = Preprocessor.fit(frame()).toJSON();
  const bad = (edit: (s: any) => void): unknown => {
    const s = JSON.parse(JSON.stringify(good));
    edit(s);
    return s;
  };
  for (const s of [
    null,
    {},
    bad((s) => (s.version = 2)),
    bad((s) => (s.spec.scaler = 'zscore')),
    bad((s) => (s.columns[0].scale = 0)),
    bad((s) => (s.columns[0].center = 'x')),
    bad((s) => delete s.columns[0].fill),
    bad((s) => (s.columns[1].fill = 'purple')),
    bad((s) => s.columns[1].levels.push('red')),
    bad((s) => s.columns.push(s.columns[0])),
    bad((s) => (s.extra = 1)),
  ]) {
    assert.throws(() => Preprocessor.fromJSON(s), (e: Error) => e instanceof FormatError && e.message.startsWith('preprocessor state is invalid'));
  }
});
