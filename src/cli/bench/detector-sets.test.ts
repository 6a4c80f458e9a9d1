import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../usage-error.js';
import { detectorSets } from './detector-sets.js';

test('shared pairs reach every detector, name.key pairs one, and win', () => {
  const s = detectorSets(['epochs=5', 'gan.epochs=2', 'conv-autoencoder.filters=[8,16]', 'score=latent'], ['conv-autoencoder', 'gan']);
  assert.deepEqual(s, {
    'conv-autoencoder': { epochs: 5, filters: [8, 16], score: 'latent' },
    gan: { epochs: 2, score: 'latent' },
  });
});

test('a value with a dot is not read as a detector name; an unknown name is a usage error', () => {
  assert.deepEqual(detectorSets(['learningRate=0.5'], ['knn']), { knn: { learningRate: 0.5 } });
  assert.throws(() => detectorSets(['lof.k=5'], ['knn']), UsageError);
  assert.throws(() => detectorSets(['noequals'], ['knn']), UsageError);
});
