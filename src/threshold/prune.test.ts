import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneSequences } from './prune.js';

test('pruning keeps the sequences above the last clear drop in peak error and drops the rest', () => {
  // Peaks: 10 (rows 2-3), 9.5 (rows 6-7), 5 (row 10), 4.8 (row 13); largest error outside: 4.7.
  const e = [1, 1, 10, 8, 1, 1, 9.5, 2, 1, 1, 5, 1, 1, 4.8, 4.7, 1];
  const seqs = [[2, 3], [6, 7], [10, 10], [13, 13]] as const;
  // 10 -> 9.5 is a 5% step (marked), 9.5 -> 5 a 47% drop (clears), 5 -> 4.8 and 4.8 -> 4.7 small (marked).
  assert.deepEqual(pruneSequences(e, seqs, 0.13), [[2, 3], [6, 7]]);
  assert.deepEqual(pruneSequences(e, seqs, 0), seqs);
  // With p above every step (but below 1) nothing stands out: all are dropped.
  assert.deepEqual(pruneSequences(e, seqs, 0.99), []);
  assert.throws(() => pruneSequences(e, seqs, 1), /p must be in \[0, 1\)/);
});
