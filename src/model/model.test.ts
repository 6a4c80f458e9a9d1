import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from './model.js';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import type { Frame } from '../data/frame.js';
import { Rng } from '../core/random.js';

/** Numeric columns with gaps, a categorical column, and a few planted anomalies at the end. */
function frame(rows: number, seed: number): Frame {
  const rng = new Rng(seed);
  const a = new Float64Array(rows);
  const b = new Float64Array(rows);
  const color: (string | null)[] = [];
  for (let i = 0; i < rows; i++) {
    a[i] = i % 17 === 0 ? NaN : rng.normal();
    b[i] = 10 + 2 * rng.normal();
    color.push(i % 13 === 0 ? null : i % 2 ? 'red' : 'blue');
  }
  for (let i = rows - 3; i < rows; i++) {
    a[i] = 9;
    b[i] = -20;
  }
  return {
    rows,
    columns: [
      { name: 'a', kind: 'numeric', values: a },
      { name: 'b', kind: 'numeric', values: b },
      { name: 'color', kind: 'categorical', values: color },
    ],
  };
}

test('fit, score, predict: planted rows score highest and are flagged', async () => {
  const f = frame(200, 1);
  const m = await Model.fit(f, { detector: 'iforest', options: { seed: 2 }, threshold: { kind: 'contamination', rate: 0.05 } });
  const s = await m.score(f);
  const top = Array.from(s.keys()).sort((i, j) => s[j]! - s[i]!).slice(0, 3).sort((x, y) => x - y);
  assert.deepEqual(top, [197, 198, 199]);
  const p = await m.predict(f);
  assert.deepEqual([p[197], p[198], p[199]], [1, 1, 1]);
  const flagged = p.reduce((n, v) => n + v, 0);
  assert.ok(flagged >= 8 && flagged <= 12, `about 5% flagged, got ${flagged}`);
});

test('saved bytes restore a model with identical scores and threshold', async () => {
  const f = frame(150, 3);
  const m = await Model.fit(f, { detector: 'zscore', threshold: { kind: 'auto' } });
  const back = Model.fromBytes(m.toBytes());
  assert.deepEqual(await back.score(f), await m.score(f));
  assert.equal(back.cutoff, m.cutoff);
  assert.equal(back.cutoff, 3, 'auto uses the z-score cutoff');
  assert.deepEqual(back.columns, m.columns);
});

test('explain sums one-hot features back into their column', async () => {
  const f = frame(120, 4);
  const m = await Model.fit(f, { detector: 'zscore' });
  const e = (await m.explain(f))!;
  assert.deepEqual(e.columns, ['a', 'b', 'color']);
  assert.equal(e.values.rows, 120);
  // the planted rows are explained by a and b, not by color
  const last = e.values.data.subarray(119 * 3, 120 * 3);
  assert.ok(last[0]! > 3 && last[1]! > 3 && last[2]! < 3);
});

test('scoring needs the training columns, in the same kinds', async () => {
  const f = frame(60, 5);
  const m = await Model.fit(f, { detector: 'zscore' });
  await assert.rejects(m.score({ rows: 60, columns: f.columns.slice(1) }), (e: unknown) => e instanceof DataError && /missing column 'a'/.test(e.message));
  const wrongKind: Frame = { rows: 60, columns: [{ name: 'a', kind: 'categorical', values: Array(60).fill('x') }, ...f.columns.slice(1)] };
  await assert.rejects(m.score(wrongKind), /column 'a' is categorical here but was numeric/);
});

test('unknown detectors and bad options fail before any work', async () => {
  await assert.rejects(Model.fit(frame(10, 1), { detector: 'nope' }), OptionsError);
  await assert.rejects(Model.fit(frame(10, 1), { detector: 'iforest', options: { nEstimators: 0 } }), OptionsError);
});

test('a corrupted manifest is a FormatError', async () => {
  const m = await Model.fit(frame(40, 1), { detector: 'zscore' });
  const bytes = m.toBytes();
  const text = new TextDecoder().decode(bytes);
  const broken = new TextEncoder().encode(text.replace('"vigil-model"', '"other-model"'));
  assert.throws(() => Model.fromBytes(broken), FormatError);
});
