import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowerBound, upperBound } from './search.js';

test('lowerBound and upperBound agree with a linear scan, over the whole array and a range, ties included', () => {
  const a = Float64Array.from([1, 2, 2, 2, 5, 7, 7, 9]);
  for (const v of [0, 1, 2, 3, 5, 7, 8, 9, 10]) {
    assert.equal(lowerBound(a, v), a.findIndex((x) => x >= v) === -1 ? a.length : a.findIndex((x) => x >= v), `lower ${v}`);
    assert.equal(upperBound(a, v), a.findIndex((x) => x > v) === -1 ? a.length : a.findIndex((x) => x > v), `upper ${v}`);
    const lo = 2;
    const hi = 6;
    const slice = Array.from(a.subarray(lo, hi));
    const l = slice.findIndex((x) => x >= v);
    const u = slice.findIndex((x) => x > v);
    assert.equal(lowerBound(a, v, lo, hi), lo + (l === -1 ? slice.length : l), `lower ${v} in [2, 6)`);
    assert.equal(upperBound(a, v, lo, hi), lo + (u === -1 ? slice.length : u), `upper ${v} in [2, 6)`);
  }
  assert.equal(lowerBound([], 3), 0);
  assert.equal(upperBound([], 3), 0);
});
