import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRanges, overlapLength, toRanges } from './ranges.js';

test('0/1 series to inclusive ranges and back', () => {
  const s = [1, 1, 0, 0, 1, 0, 1, 1, 1];
  assert.deepEqual(toRanges(s), [
    [0, 1],
    [4, 4],
    [6, 8],
  ]);
  assert.deepEqual(Array.from(fromRanges(toRanges(s), s.length)), s);
  assert.deepEqual(toRanges([0, 0]), []);
  assert.deepEqual(toRanges([]), []);
  assert.deepEqual(Array.from(fromRanges([[1, 2], [2, 3]], 5)), [0, 1, 1, 1, 0]);
});

test('ranges outside the series or reversed are refused', () => {
  assert.throws(() => fromRanges([[2, 1]], 5), /not an inclusive pair/);
  assert.throws(() => fromRanges([[0, 5]], 5), /within 0..4/);
  assert.throws(() => fromRanges([[0.5, 2]], 5), /not an inclusive pair/);
});

test('overlap length counts shared rows of inclusive ranges', () => {
  assert.equal(overlapLength([2, 5], [4, 7]), 2);
  assert.equal(overlapLength([2, 5], [6, 7]), 0);
  assert.equal(overlapLength([2, 5], [5, 5]), 1);
});
