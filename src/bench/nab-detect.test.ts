import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outOfRange, suppress, tailZ, toUnit } from './nab-detect.js';

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

test('outOfRange marks values beyond the range so far by more than the tolerance, never while it is empty', () => {
  const v = Float64Array.of(5, 5, 6, 10, 10.2, 10.3, 4, 3.9, 20);
  // 6: all earlier values equal, no range yet. 10.2: within 5% of [5, 10] (0.25); 10.3: within
  // 5% of [5, 10.2]; 4: below [5, 10.3] by more than 0.265; 3.9: within 0.315 of [4, 10.3].
  assert.deepEqual([...outOfRange(v, 0.05)], [0, 0, 0, 1, 0, 0, 1, 0, 1]);
  assert.deepEqual([...outOfRange(v, 0)], [0, 0, 0, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual([...outOfRange(new Float64Array(0), 0.05)], []);
});

test('new-range steps score 1 and suppress the ordinary scores after them', () => {
  const z = Float64Array.of(0, 2, 0, 9, 0, 3, 0, 0, 0, 5);
  const novel = Uint8Array.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
  const plain = toUnit(z, 3);
  const withNovel = toUnit(z, 3, novel);
  assert.equal(withNovel[2], 1);
  assert.equal(plain[3], 0.9);
  assert.equal(withNovel[3], 0, 'a z of 9 one step after a new-range step is suppressed');
  assert.equal(withNovel[9], plain[9], 'beyond the suppression window nothing changes');
});
