import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suppress, tailZ, toUnit } from './nab-detect.js';

test('suppress keeps a score only where it beats every score of the previous k steps', () => {
  const s = Float64Array.of(1, 3, 2, 2.5, 4, 1, 1, 1, 2);
  assert.deepEqual([...suppress(s, 2)], [1, 3, 0, 0, 4, 0, 0, 0, 2]);
});

test('tailZ is 0 until 100 earlier scores are known, then a z of the recent mean against them', () => {
  const s = new Float64Array(200);
  for (let t = 0; t < 200; t++) s[t] = t % 2;
  s[150] = 11;
  const z = tailZ(s, 10, 1);
  assert.equal(z[109], 0);
  assert.ok(Math.abs(z[110]! - (s[110]! - 0.5) / 0.5) < 1e-12);
  assert.equal(z.indexOf(Math.max(...z)), 150);
  // An average over 3 steps spreads the spike over them.
  const z3 = tailZ(s, 10, 3);
  assert.ok(z3[152]! > 2 && z3[152]! < z[150]!);
});

test('tail z, suppression and z / (z + 1) map into [0, 1) and rank a rare spike first', () => {
  const s = new Float64Array(400);
  for (let t = 0; t < 400; t++) s[t] = 1 + Math.sin(t);
  s[300] = 40;
  const c = toUnit(tailZ(s, 0), 100);
  assert.ok(c.every((v) => v >= 0 && v < 1));
  assert.equal(c.indexOf(Math.max(...c)), 300);
  // Suppression leaves the steps right after the spike at 0.
  assert.ok(c.subarray(301, 400).every((v) => v === 0));
});
