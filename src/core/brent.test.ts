import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brentMinimize } from './brent.js';

test('Brent finds the minimum of smooth functions to the tolerance', () => {
  const a = brentMinimize((x) => (x - 2) ** 2 + 1, -10, 10);
  assert.ok(Math.abs(a.x - 2) < 1e-7 && Math.abs(a.fx - 1) < 1e-14, `${a.x}`);
  assert.ok(a.evaluations < 15, `${a.evaluations}`);
  const b = brentMinimize((x) => -Math.sin(x), 0, 3);
  assert.ok(Math.abs(b.x - Math.PI / 2) < 1e-7);
  assert.ok(b.evaluations < 30, `${b.evaluations}`);
  // An interval given backwards is the same interval.
  assert.ok(Math.abs(brentMinimize((x) => Math.abs(x - 0.3), 1, -1).x - 0.3) < 1e-7);
});
