import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError, OptionsError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { Adwin } from './adwin.js';
import type { DriftDetector } from './drift-detector.js';
import { driftFromJSON, makeDriftDetector } from './registry.js';

/** One shared suite: every drift detector, with options for N(0, 1) noise and its own bounds. */
interface Case {
  name: string;
  make: () => DriftDetector;
  /** Largest delay (values after the shift) allowed for a shift of 2 sigma or more. */
  maxDelay: number;
  /** False alarms allowed over `n` stationary values. */
  falseAlarms: (n: number) => number;
  /** Largest `bufferedValues()` allowed after `n` values. */
  memory: (n: number) => number;
}

const cases: Case[] = [
  {
    name: 'page-hinkley',
    // Expected delay ≈ λ / (|shift| - δ): 20 for shift 3, 33 for shift 2.
    make: () => makeDriftDetector('page-hinkley', { delta: 0.5, lambda: 50 }),
    maxDelay: 60,
    // No probability bound; with δ = sd/2 the cumulative sum drifts down and never reaches λ.
    falseAlarms: () => 0,
    memory: () => 0,
  },
  {
    name: 'adwin',
    make: () => makeDriftDetector('adwin', { delta: 0.002 }),
    // A 2-sigma gap passes ε_cut once the new part holds about 10 values; the test then waits for
    // the next clock tick (32 values).
    maxDelay: 32 + 16,
    // ADWIN's guarantee: at most δ false-cut probability per check, one check per clock tick.
    falseAlarms: (n) => Math.ceil((0.002 * n) / 32),
    // At most maxBuckets + 1 buckets (2 numbers each) in each of log2(n) + 1 rows.
    memory: (n) => 2 * 6 * (Math.floor(Math.log2(n)) + 1),
  },
];

for (const c of cases) {
  test(`${c.name}: fires within a bounded delay after a mean shift of 2-3 sigma, up and down`, () => {
    for (const [seed, shift] of [[1, 3], [2, -3], [3, 2], [4, -2]] as const) {
      const rng = new Rng(seed);
      const d = c.make();
      for (let i = 0; i < 2000; i++) assert.equal(d.update(rng.normal()), false, `seed ${seed}: false alarm at ${i}`);
      let delay = -1;
      for (let i = 0; i < 500 && delay < 0; i++) if (d.update(shift + rng.normal())) delay = i;
      assert.ok(delay >= 0 && delay <= c.maxDelay, `shift ${shift}: delay ${delay}`);
    }
  });

  test(`${c.name}: false alarms on 200,000 stationary seeded values stay within the bound`, () => {
    const rng = new Rng(7);
    const d = c.make();
    const n = 200_000;
    let fired = 0;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      if (d.update(5 + rng.normal())) fired++;
      peak = Math.max(peak, d.bufferedValues());
    }
    assert.ok(fired <= c.falseAlarms(n), `${fired} false alarms`);
    assert.ok(peak <= c.memory(n), `memory ${peak} > ${c.memory(n)}`);
  });

  test(`${c.name}: JSON round trip and reset continue identically; NaN is ignored`, () => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 3000 }, (_, i) => (i > 1500 ? 2 : 0) + rng.normal());
    const a = c.make();
    xs.slice(0, 1000).forEach((x) => a.update(x));
    const b = driftFromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    assert.equal(b.name, c.name);
    const ra = xs.slice(1000).map((x) => a.update(x));
    assert.deepEqual(xs.slice(1000).map((x) => b.update(x)), ra);
    assert.ok(ra.includes(true), 'the shift at 1500 is seen');
    const before = JSON.stringify(a.toJSON());
    assert.equal(a.update(NaN), false);
    assert.equal(JSON.stringify(a.toJSON()), before);
    a.reset();
    const fresh = c.make();
    assert.deepEqual(xs.map((x) => a.update(x)), xs.map((x) => fresh.update(x)));
  });
}

test('adwin: after a shift the window keeps only (about) the new regime', () => {
  const rng = new Rng(12);
  const d = new Adwin();
  for (let i = 0; i < 5000; i++) d.update(rng.normal());
  assert.ok(d.width > 4000, `stationary window ${d.width}`);
  for (let i = 0; i < 300; i++) d.update(4 + rng.normal());
  assert.ok(d.width <= 400, `window after the shift ${d.width}`);
  assert.ok(Math.abs(d.mean - 4) < 0.5, `window mean ${d.mean}`);
});

test('drift detectors: unknown names, options and states are refused clearly', () => {
  assert.throws(() => makeDriftDetector('cusum'), /unknown drift detector 'cusum' \(known: adwin, page-hinkley\)/);
  assert.throws(() => makeDriftDetector('adwin', { lambda: 3 }), /unknown option 'lambda'/);
  assert.throws(() => makeDriftDetector('adwin', { delta: 'x' }), OptionsError);
  assert.throws(() => makeDriftDetector('adwin', { delta: 2 }), OptionsError);
  assert.throws(() => makeDriftDetector('page-hinkley', { lambda: -1 }), OptionsError);
  assert.throws(() => driftFromJSON({ format: 'nope' }), FormatError);
  assert.throws(() => driftFromJSON(null), FormatError);
});
