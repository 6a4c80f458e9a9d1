import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ewma } from '../core/ewma.js';
import { Rng } from '../core/random.js';
import { dynamicThreshold } from './dynamic.js';

test('ewma matches pandas ewm(span).mean() with adjust=True', () => {
  // pd.Series([1, 2, 3, 10]).ewm(span=3).mean() -> 1, 1.666667, 2.428571, 6.333333
  const y = ewma([1, 2, 3, 10], 3);
  const want = [1, 5 / 3, 4.25 / 1.75, (10 + 0.5 * 3 + 0.25 * 2 + 0.125 * 1) / 1.875];
  want.forEach((w, i) => assert.ok(Math.abs(y[i]! - w) < 1e-12, `${i}: ${y[i]}`));
  assert.deepEqual(Array.from(ewma([5, 5, 5], 1)), [5, 5, 5]);
});

function noisy(n: number, seed: number): Float64Array {
  const r = new Rng(seed);
  return Float64Array.from({ length: n }, () => 0.1 * r.next());
}

/** The paper's criterion written out directly, as an independent reference. */
function reference(es: Float64Array, zs: number[]): { z: number; eps: number; f: number } {
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const sd = (v: number[]): number => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
  const all = Array.from(es);
  let best = { z: NaN, eps: NaN, f: -Infinity };
  for (const z of zs) {
    const eps = mean(all) + z * sd(all);
    const kept = all.filter((v) => v <= eps);
    const flagged = all.map((v) => v > eps);
    const ea = flagged.filter(Boolean).length;
    if (!ea) continue;
    const seqs = flagged.filter((f, i) => f && !flagged[i - 1]).length;
    const f = ((mean(all) - mean(kept)) / mean(all) + (sd(all) - sd(kept)) / sd(all)) / (ea + seqs * seqs);
    if (f >= best.f) best = { z, eps, f };
  }
  return best;
}

test('one clear anomalous sequence is found, at the largest z that still isolates it', () => {
  const e = noisy(1000, 1);
  e.fill(1, 500, 520);
  const res = dynamicThreshold(e, { smoothed: true });
  assert.deepEqual(res.sequences, [[500, 519]]);
  assert.ok(res.threshold > 0.1 && res.threshold < 1);
  // Every candidate from z = 2 up to the last one below 1 flags exactly this sequence, with the
  // same score, and ties go to the larger z.
  const ref = reference(e, Array.from({ length: 17 }, (_, k) => 2 + 0.5 * k));
  assert.equal(res.z, ref.z);
  assert.ok(Math.abs(res.threshold - ref.eps) < 1e-12);
});

test('the choice matches the paper criterion computed directly (two sequences of different height)', () => {
  const e = noisy(1000, 2);
  e.fill(1, 300, 320);
  e.fill(0.8, 700, 710);
  e[850] = 0.6;
  const res = dynamicThreshold(e, { smoothed: true });
  const ref = reference(e, Array.from({ length: 17 }, (_, k) => 2 + 0.5 * k));
  assert.equal(res.z, ref.z);
  assert.ok(Math.abs(res.score - ref.f) < 1e-12);
});

test('smoothing spreads a spike into a sequence; nothing flagged gives mu + zMax sd and no sequences', () => {
  const e = noisy(2000, 3);
  e.fill(2, 1000, 1005);
  const res = dynamicThreshold(e, { span: 10 });
  assert.equal(res.sequences.length, 1);
  const [s, t] = res.sequences[0]!;
  assert.ok(s >= 1000 && s <= 1002 && t > 1005, `${s} ${t}`);
  const flat = dynamicThreshold(new Float64Array(100).fill(0.5), { smoothed: true });
  assert.deepEqual(flat.sequences, []);
  assert.ok(Number.isNaN(flat.score));
  assert.throws(() => dynamicThreshold(e, { zMin: 3, zMax: 2 }), /zMin <= zMax/);
});
