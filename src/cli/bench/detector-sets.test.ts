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

test("'single': an unqualified key only when one detector runs", () => {
  assert.deepEqual(detectorSets(['alpha=0.1'], ['ewma'], 'single'), { ewma: { alpha: 0.1 } });
  assert.deepEqual(detectorSets(['ewma.alpha=0.1'], ['seasonal', 'ewma'], 'single'), { seasonal: {}, ewma: { alpha: 0.1 } });
  assert.throws(() => detectorSets(['alpha=0.1'], ['seasonal', 'ewma'], 'single'), /with several detectors name the one it is for, as detector\.alpha/);
});
