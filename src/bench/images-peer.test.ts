import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peerImageResults } from './images-peer.js';

test("the peer's figures and times are kept for the classes run, in their order, times summed", () => {
  const raw = {
    pca: { per_class: [0.9, 0.8, 0.7], mean_roc: 0.8 },
    knn: { per_class: [0.6, 0.5, 0.4], mean_roc: 0.5 },
    timing: {
      pca: [
        { rows: 600, fit: 1, score: 10 },
        { rows: 600, fit: 2, score: 20 },
        { rows: 600, fit: 4, score: 40 },
      ],
      knn: [
        { rows: 3000, fit: 0.1, score: 1 },
        { rows: 3000, fit: 0.2, score: 2 },
        { rows: 2500, fit: 0.4, score: 4 },
      ],
    },
  };
  const r = peerImageResults(raw, ['0', '1', '2'], ['2', '0']);
  assert.deepEqual(r.pca, { per_class: [0.7, 0.9], mean_roc: 0.8, fit_seconds: 5, score_seconds: 50, train_rows: [600, 600] });
  assert.deepEqual(r.knn!.train_rows, [2500, 3000]);
  assert.ok(Math.abs(r.knn!.fit_seconds - 0.5) < 1e-12);
  // A peer without timing (an older shim) or a detector it does not run: left out, not invented.
  assert.deepEqual(peerImageResults({ pca: raw.pca, timing: {} }, ['0', '1', '2'], ['0']), {});
  assert.throws(() => peerImageResults({ ...raw, timing: { pca: raw.timing.pca.slice(1) } }, ['0', '1', '2'], ['0']), /timed 2 pca fits for 3 classes/);
});
