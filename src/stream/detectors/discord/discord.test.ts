import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../../../core/errors.js';
import { Rng } from '../../../core/random.js';
import { FixedThreshold } from '../../stream-detector.js';
import { Discord } from './discord.js';

/** Seeded noise around a sine of period 20, with the same triangular bump added at each start in `bumps`. */
function withBumps(n: number, bumps: number[]): Float64Array {
  const rng = new Rng(7);
  const xs = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / 20) + 0.05 * rng.normal());
  for (const b of bumps) for (let k = 0; k < 6; k++) xs[b + k]! += 3 - Math.abs(k - 2.5);
  return xs;
}

function maxScore(d: Discord, xs: Float64Array, from: number, to: number): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = d.update(xs[i]!).score;
    if (i >= from && i < to) m = Math.max(m, s);
  }
  return m;
}

test('discord: a new shape scores high, the same shape again scores low (it keeps learning)', () => {
  const xs = withBumps(900, [400, 700]);
  const score = (from: number, to: number): number => maxScore(new Discord({ window: 6, history: 2000, threshold: new FixedThreshold(1) }), xs, from, to);
  const quiet = score(200, 390);
  const first = score(400, 412);
  const again = score(700, 712);
  assert.ok(first > 5 * quiet, `first bump ${first} vs quiet ${quiet}`);
  assert.ok(again < first / 3, `repeated bump ${again} vs first ${first}`);
});

test('discord: a neighbour further back than `history` is forgotten', () => {
  const xs = withBumps(900, [300, 700]);
  const make = (history: number): Discord => new Discord({ window: 6, history, threshold: new FixedThreshold(1) });
  const near = maxScore(make(600), xs, 700, 712);
  const far = maxScore(make(200), xs, 700, 712);
  assert.ok(far > 3 * near, `history 200: ${far}, history 600: ${near}`);
});

test('discord: bad options are rejected', () => {
  assert.throws(() => new Discord({ window: 0 }), OptionsError);
  assert.throws(() => new Discord({ window: 5, history: 5 }), /history must be a whole number >= 6/);
  assert.throws(() => new Discord({ window: 2.5 }), OptionsError);
});
