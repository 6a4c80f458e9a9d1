import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listDetectors } from './registry.js';

/** Image detectors need their image shape to be built at all. */
const REQUIRED: Record<string, Record<string, unknown>> = {
  'conv-autoencoder': { height: 8, width: 8 },
  rotnet: { height: 8, width: 8 },
};

test('a detector definition declares `explains` exactly when its detectors have explain()', () => {
  const explaining: string[] = [];
  for (const def of listDetectors()) {
    const d = def(REQUIRED[def.name] ?? {});
    assert.equal(def.explains, typeof d.explain === 'function', def.name);
    if (def.explains) explaining.push(def.name);
  }
  // Pinned so that losing explain() on a detector is a visible change.
  assert.deepEqual(explaining, ['zscore', 'robust-z', 'gesd', 'grubbs', 'mahalanobis', 'kmeans', 'hbos', 'ecod', 'pca', 'autoencoder', 'vae', 'conv-autoencoder']);
});
