import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, FormatError, OptionsError } from '../../core/errors.js';
import type { Frame } from '../../data/frame.js';
import { Rng } from '../../core/random.js';
import { EntityState, continueEntityFeatures, entityFeatures, entityLayout, loadEntityState, saveEntityState } from './index.js';

function tx(rows: { card: string | null; t: number; amount: number; ip: string }[]): Frame {
  return {
    rows: rows.length,
    columns: [
      { name: 'card', kind: 'categorical', values: rows.map((r) => r.card) },
      { name: 't', kind: 'numeric', values: Float64Array.from(rows, (r) => r.t) },
      { name: 'amount', kind: 'numeric', values: Float64Array.from(rows, (r) => r.amount) },
      { name: 'ip', kind: 'categorical', values: rows.map((r) => r.ip) },
    ],
  };
}

const col = (f: Frame, name: string): number[] => {
  const c = f.columns.find((x) => x.name === name);
  assert.ok(c && c.kind === 'numeric', `no numeric column ${name}`);
  return [...c.values];
};

const tiny = tx([
  { card: 'a', t: 0, amount: 10, ip: 'x' },
  { card: 'a', t: 600, amount: 20, ip: 'y' },
  { card: 'b', t: 1200, amount: 5, ip: 'x' },
  { card: 'a', t: 1800, amount: 30, ip: 'x' },
  { card: 'a', t: 4000, amount: 100, ip: 'z' },
  { card: 'a', t: 4000, amount: 1, ip: 'z' },
]);
const spec = { keys: ['card'], time: 't', windows: ['1h'], distinct: ['ip'] };

test('counts, sums, means, distinct, since_prev and z by hand on a tiny case', () => {
  const { frame, outOfOrder } = entityFeatures(tiny, spec);
  assert.equal(outOfOrder, 0);
  // card a at 0, 600, 1800, 4000, 4000; b at 1200. Window 1h = (t - 3600, t], earlier rows only.
  assert.deepEqual(col(frame, 'card.1h.count'), [0, 1, 0, 2, 2, 3]);
  assert.deepEqual(col(frame, 'card.1h.sum.amount'), [0, 10, 0, 30, 50, 150]);
  assert.deepEqual(col(frame, 'card.1h.mean.amount').map((v) => (Number.isNaN(v) ? 'nan' : v)), ['nan', 10, 'nan', 15, 25, 50]);
  assert.deepEqual(col(frame, 'card.1h.distinct.ip'), [0, 1, 0, 2, 2, 3]);
  assert.deepEqual(col(frame, 'card.since_prev').map((v) => (Number.isNaN(v) ? 'nan' : v)), ['nan', 600, 'nan', 1200, 2200, 0]);
  // z of 30 against {10, 20}: mean 15, sd sqrt(50) -> 15 / 7.0711; 100 against {10,20,30}: (100-20)/10 = 8.
  const z = col(frame, 'card.z.amount');
  assert.equal(z[0], 0);
  assert.equal(z[1], 0);
  assert.ok(Math.abs(z[3]! - 15 / Math.sqrt(50)) < 1e-12);
  assert.ok(Math.abs(z[4]! - 8) < 1e-12);
  // The keys and time are not in the output; the other columns are, then the features.
  assert.deepEqual(frame.columns.slice(0, 2).map((c) => c.name), ['amount', 'ip']);
});

test('rows out of time order are taken in time order and counted; features stay in row order', () => {
  const shuffled = [5, 2, 0, 4, 1, 3];
  const pick = (f: Frame, idx: number[]): Frame => ({
    rows: idx.length,
    columns: f.columns.map((c) => (c.kind === 'categorical' ? { ...c, values: idx.map((i) => c.values[i]!) } : { ...c, values: Float64Array.from(idx, (i) => c.values[i]!) })),
  });
  const a = entityFeatures(tiny, spec).frame;
  const b = entityFeatures(pick(tiny, shuffled), spec);
  assert.ok(b.outOfOrder > 0);
  // Ties keep file order: rows 4 and 5 share t = 4000, and shuffled puts 5 first.
  const want = col(a, 'card.1h.count');
  const got = col(b.frame, 'card.1h.count');
  shuffled.forEach((orig, k) => {
    if (orig === 4 || orig === 5) return;
    assert.equal(got[k], want[orig]);
  });
  assert.equal(got[0], 2, 'row 5 first among the tied rows: it sees the three earlier rows in 1h but not row 4');
});

/** Random transactions: 30 cards over two days. */
function randomTx(seed: number, rows: number): { card: string; t: number; amount: number; ip: string }[] {
  const rng = new Rng(seed);
  let t = 0;
  return Array.from({ length: rows }, () => {
    t += Math.floor(rng.uniform(0, 600));
    return { card: `c${Math.floor(rng.uniform(0, 30))}`, t, amount: Math.round(rng.uniform(1, 200)), ip: `ip${Math.floor(rng.uniform(0, 8))}` };
  });
}

test('future leak: changing every row after t (values, keys, added rows) leaves the features up to t unchanged', () => {
  const full = { keys: ['card', 'ip'], time: 't', windows: ['10m', '1h', '1d'], distinct: ['ip'] };
  for (const seed of [1, 2, 3]) {
    const rows = randomTx(seed, 400);
    const cut = 250;
    const tCut = rows[cut - 1]!.t;
    const rng = new Rng(seed + 100);
    const changed = rows.map((r, i) => (i < cut || r.t <= tCut ? r : { card: `c${Math.floor(rng.uniform(0, 5))}`, t: r.t + Math.floor(rng.uniform(0, 50)), amount: rng.uniform(0, 1e4), ip: 'evil' }));
    const extra = Array.from({ length: 50 }, (_, k) => ({ card: 'c1', t: tCut + 1 + k, amount: 1e6, ip: 'evil' }));
    const a = entityFeatures(tx(rows), full).frame;
    const b = entityFeatures(tx([...changed, ...extra]), full).frame;
    let checked = 0;
    for (const c of a.columns) {
      if (c.kind !== 'numeric' || c.name === 'amount') continue;
      const other = col(b, c.name);
      for (let i = 0; i < rows.length && rows[i]!.t <= tCut; i++) {
        assert.ok(Object.is(c.values[i], other[i]), `${c.name} row ${i + 1} moved: ${c.values[i]} -> ${other[i]}`);
        checked++;
      }
    }
    assert.ok(checked > 250 * 20);
  }
});

test('maxEntities evicts the least recently seen entity: its next row reads as a new entity', () => {
  const f = tx([
    { card: 'a', t: 0, amount: 1, ip: 'x' },
    { card: 'b', t: 1, amount: 1, ip: 'x' },
    { card: 'a', t: 2, amount: 1, ip: 'x' },
    { card: 'c', t: 3, amount: 1, ip: 'x' }, // evicts b (a was seen at 2)
    { card: 'a', t: 4, amount: 1, ip: 'x' },
    { card: 'b', t: 5, amount: 1, ip: 'x' },
  ]);
  const r = entityFeatures(f, { ...spec, maxEntities: 2 });
  assert.deepEqual(col(r.frame, 'card.1h.count'), [0, 0, 1, 0, 2, 0]);
  assert.ok(Number.isNaN(col(r.frame, 'card.since_prev')[5]!));
  assert.deepEqual([...r.state.entities[0]!.keys()], ['a', 'b']);
  assert.deepEqual(r.state.evicted, [2]);
});

test('maxEventsPerEntity caps the events kept: counts and sums cover the most recent ones', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ card: 'a', t: i, amount: i + 1, ip: `ip${i % 4}` }));
  const r = entityFeatures(tx(rows), { ...spec, maxEventsPerEntity: 3 });
  assert.deepEqual(col(r.frame, 'card.1h.count'), [0, 1, 2, 3, 3, 3, 3, 3, 3, 3]);
  // Row 9 (amount 10) sees amounts 7, 8, 9; z keeps the whole history (1..9).
  assert.equal(col(r.frame, 'card.1h.sum.amount')[9], 24);
  assert.equal(col(r.frame, 'card.1h.distinct.ip')[9], 3);
  assert.ok(Math.abs(col(r.frame, 'card.z.amount')[9]! - (10 - 5) / Math.sqrt(7.5)) < 1e-12);
  assert.equal(r.state.entities[0]!.get('a')!.size, 3);
});

test('continuing from a state, and from its saved copy, gives what one pass over all rows gives', () => {
  const all = randomTx(9, 600);
  const s = { keys: ['card', 'ip'], time: 't', windows: ['15m', '2h'], distinct: ['ip'], maxEventsPerEntity: 20 };
  const one = entityFeatures(tx(all), s).frame;
  const first = entityFeatures(tx(all.slice(0, 350)), s);
  const saved = saveEntityState(first.state);
  const restored = loadEntityState(JSON.parse(JSON.stringify(saved.json)), saved.arrays);
  const live = continueEntityFeatures(tx(all.slice(350)), first.state).frame;
  const viaFile = continueEntityFeatures(tx(all.slice(350)), restored).frame;
  for (const c of one.columns) {
    if (c.kind !== 'numeric') continue;
    const rest = [...c.values].slice(350);
    assert.deepEqual(col(live, c.name), rest, c.name);
    assert.deepEqual(col(viaFile, c.name), rest, `${c.name} after the round trip`);
  }
  // continueEntityFeatures left the state as it was.
  assert.equal(first.state.rowsSeen, 350);
});

test('bad specs and bad data fail with named errors', () => {
  assert.throws(() => entityFeatures(tiny, { ...spec, windows: ['1x'] }), (e: Error) => e instanceof OptionsError && /window '1x' is not a duration/.test(e.message));
  assert.throws(() => entityFeatures(tiny, { ...spec, keys: ['nope'] }), (e: Error) => e instanceof DataError && /key column 'nope' is not in the data/.test(e.message));
  assert.throws(() => entityFeatures(tiny, { keys: ['card'], time: 'ip', windows: ['1h'] }), (e: Error) => e instanceof DataError && /'ip' is not a time column/.test(e.message));
  assert.throws(() => entityFeatures(tiny, { ...spec, values: ['ip'] }), (e: Error) => e instanceof DataError && /'ip' is not numeric/.test(e.message));
  const first = entityFeatures(tiny, spec);
  const early = tx([{ card: 'a', t: 100, amount: 1, ip: 'x' }]);
  assert.throws(() => continueEntityFeatures(early, first.state), (e: Error) => e instanceof DataError && /earlier .* than the latest row/.test(e.message));
  const saved = saveEntityState(first.state);
  assert.throws(() => loadEntityState(saved.json, { ...saved.arrays, '0/times': new Float64Array(1) }), FormatError);
  assert.ok(new EntityState(entityLayout(tiny, spec)).clock === -Infinity);
});
