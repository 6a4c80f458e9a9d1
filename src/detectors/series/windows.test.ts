import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows } from '../../core/matrix.js';
import { slidingWindows } from './windows.js';

test('slidingWindows lays windows out time-major, one per row', () => {
  const s = fromRows([[1, 10], [2, 20], [3, 30], [4, 40]]);
  const w = slidingWindows(s, 2);
  assert.equal(w.rows, 3);
  assert.deepEqual([...w.data.subarray(0, 4)], [1, 10, 2, 20]);
  assert.deepEqual([...w.data.subarray(8, 12)], [3, 30, 4, 40]);
  assert.equal(slidingWindows(s, 2, 2).rows, 2);
  assert.throws(() => slidingWindows(s, 5), /at least 5 steps/);
});
