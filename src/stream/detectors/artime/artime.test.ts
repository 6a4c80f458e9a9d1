import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError, OptionsError } from '../../../core/errors.js';
import { Rng } from '../../../core/random.js';
import { SpotThreshold } from '../../stream-detector.js';
import { haar } from './haar.js';
import { LevelMedian } from './level-median.js';
import { FuzzyArt } from './fuzzy-art.js';
import { ArtimeCore, features } from './artime-core.js';
import { ARTIME_NAB_THRESHOLD, Artime } from './artime.js';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-12): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

test('haar: coarse to fine coefficients (later minus earlier), energy kept; lengths other than powers of two refused', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const r = Math.SQRT1_2;
  close(haar(x), [18 * r, 8 * r, 2, 2, r, r, r, r]);
  const energy = (v: ArrayLike<number>): number => Array.from(v).reduce((s, t) => s + t * t, 0);
  const y = [0.3, -1, 4, 2, 2, 0, 9, -3];
  assert.ok(Math.abs(energy(haar(y)) - energy(y)) < 1e-9);
  assert.throws(() => haar([1, 2, 3]), RangeError);
});

test('level median: exact on a constant stream, and within a level of the true median of a long random one', () => {
  const m = new LevelMedian(80);
  for (let i = 0; i < 10; i++) assert.equal(m.add(33), 33);
  const rng = new Rng(5);
  const r = new LevelMedian(80);
  const seen: number[] = [];
  let got = 0;
  for (let i = 0; i < 3001; i++) {
    const v = Math.min(80, Math.round(40 + 12 * rng.normal()));
    seen.push(v);
    got = r.add(Math.max(0, v));
  }
  const sorted = seen.map((v) => Math.max(0, v)).sort((a, b) => a - b);
  assert.ok(Math.abs(got - sorted[1500]!) <= 1, `${got} vs ${sorted[1500]}`);
  assert.deepEqual(r.clone().toJSON(), r.toJSON());
});

test('fuzzy ART: the first input opens the memory; a known input resonates; a far one founds a cluster; learning off changes nothing', () => {
  const art = new FuzzyArt(4, 3, 100);
  art.lower = 0.5;
  art.upper = 0.9;
  const a = [0.1, 0.2, 0.3, 0.4];
  assert.deepEqual(art.present(a, true), { novel: false, similarity: 0, energy: 0 });
  assert.equal(art.categories, 1);
  assert.equal(art.present(a, true).novel, true, 'nothing but the all-ones category yet');
  assert.equal(art.categories, 2);
  const again = art.present(a, true);
  assert.equal(again.novel, false);
  assert.ok(Math.abs(again.similarity - 1) < 1e-12 && again.energy === 1);
  assert.equal(art.categories, 2, 'resonance learns into the category, adds none');
  const before = JSON.stringify(art.toJSON());
  const far = art.present([0.9, 0.9, 0.9, 1], false);
  assert.equal(far.novel, true);
  assert.equal(JSON.stringify(art.toJSON()), before, 'learning off');
  assert.equal(art.present([0.9, 0.9, 0.9, 1], true).novel, true);
  assert.equal(art.categories, 3);
});

test('fuzzy ART: at most maxCategories, the one unused longest forgotten', () => {
  const art = new FuzzyArt(2, 1, 3);
  art.lower = 0.99;
  art.upper = 0.999;
  for (const x of [[0, 0], [1, 1], [0, 1], [1, 0], [0.5, 0.5]]) art.present(x, true);
  assert.equal(art.categories, 3);
});

/** A sine of period 40 with noise; from `at`, `len` steps sit at the top of the range (a stuck sensor). */
function stuckSine(n: number, at: number, len: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, (_, i) => (i >= at && i < at + len ? 2 : Math.sin((2 * Math.PI * i) / 40) + 0.05 * rng.normal()));
}

test('ARTime: nothing scores during the probation; a stuck stretch gets the top score, above its NAB threshold', () => {
  const xs = stuckSine(2400, 1800, 60, 1);
  const core = new ArtimeCore({ min: -1.2, max: 2, probation: 400, maxCategories: 10_000 });
  assert.equal(core.step, 3);
  assert.equal(core.trend, 133);
  const s = Array.from(xs, (v) => core.process(v));
  assert.ok(s.slice(0, 400).every((v) => v === 0));
  assert.ok(s.every((v, i) => v >= 0 && v <= 1 && (v === 0 || (i + 1) % core.step === 0)), 'scores only on downsampled steps, in [0, 1]');
  let top = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > s[top]!) top = i;
  assert.ok(top >= 1800 && top < 1860, `top score at ${top}`);
  assert.ok(s[top]! > ARTIME_NAB_THRESHOLD);
});

test('ARTime: a clone continues exactly as the original, which it leaves untouched; JSON restores it', () => {
  const xs = stuckSine(1500, 1200, 40, 2);
  const core = new ArtimeCore({ min: -1.2, max: 2, probation: 300, maxCategories: 10_000 });
  for (let i = 0; i < 1000; i++) core.process(xs[i]!);
  const before = JSON.stringify(core.toJSON());
  const twin = core.clone();
  const restored = ArtimeCore.fromJSON(core.p, JSON.parse(before));
  const a = Array.from(xs.subarray(1000), (v) => twin.process(v));
  assert.equal(JSON.stringify(core.toJSON()), before);
  assert.deepEqual(Array.from(xs.subarray(1000), (v) => core.process(v)), a);
  assert.deepEqual(Array.from(xs.subarray(1000), (v) => restored.process(v)), a);
});

test('ARTime features: the Haar shape of the window scaled to [0, 1], then the levels', () => {
  const f = features([0, 0, 0, 0, 0, 0, 0, 0.5]);
  assert.equal(f.length, 16);
  assert.ok(f.every((v) => v >= 0 && v <= 1));
  close(f.subarray(8), [0, 0, 0, 0, 0, 0, 0, 0.5]);
  assert.deepEqual(Array.from(features(new Array(8).fill(0.25)).subarray(0, 8)), new Array(8).fill(0), 'a flat window has no shape');
});

test('ARTime stream: range from the first `probation` values when none is given; per-channel ranges; misuse named', () => {
  const xs = stuckSine(1200, 900, 40, 3);
  const learnt = new Artime({ probation: 200 });
  const given = new Artime({ probation: 200, min: Math.min(...xs.subarray(0, 200)), max: Math.max(...xs.subarray(0, 200)) });
  for (const x of xs) assert.equal(learnt.update(x).score, given.update(x).score);
  assert.equal(learnt.bufferedValues(), 0);
  const two = new Artime({ probation: 200, channelRanges: [{ min: -1.2, max: 2 }, { min: 0, max: 10 }] });
  const one = new Artime({ probation: 200, min: -1.2, max: 2 });
  for (const x of xs) assert.equal(two.explain(Float64Array.of(x, 5))[0], one.scoreOne(x)), two.learnOne(Float64Array.of(x, 5)), one.learnOne(x);
  assert.throws(() => new Artime({ min: 1 }), OptionsError);
  assert.throws(() => new Artime({ min: 2, max: 1 }), OptionsError);
  assert.throws(() => new Artime({ min: 0, max: 1, channelRanges: [{ min: 0, max: 1 }] }), OptionsError);
  assert.throws(() => new Artime({ threshold: new SpotThreshold(1e-3) }), /too sparse for an EVT threshold/);
  assert.throws(() => new Artime({ channelRanges: [{ min: 0, max: 1 }] }).update(Float64Array.of(1, 2)), /channelRanges has 1 ranges/);
  assert.throws(() => new Artime().update(NaN), FormatError);
  const st = JSON.parse(JSON.stringify(given.toJSON()));
  st.state.channelStates[0].core.state.levels = [1];
  assert.throws(() => Artime.fromJSON(st), FormatError);
});
