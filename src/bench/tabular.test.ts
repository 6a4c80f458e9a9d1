import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../core/errors.js';
import { shiftedAnomalies } from '../testing/synthetic.js';
import { benchTabular, revealSome } from './tabular.js';

test('revealSome keeps the given share of the anomalies (at least one), seeded, and nothing else', () => {
  const y = new Uint8Array(100);
  for (let i = 0; i < 100; i += 5) y[i] = 1; // 20 anomalies
  const r = revealSome(y, 0.1, 1);
  assert.equal(r.reduce((a, b) => a + b, 0), 2);
  assert.ok(r.every((v, i) => v === 0 || y[i] === 1), 'only anomalies are revealed');
  assert.deepEqual(revealSome(y, 0.1, 1), r);
  assert.equal(revealSome(y, 0.001, 1).reduce((a, b) => a + b, 0), 1, 'at least one');
  assert.deepEqual(revealSome(y, 1, 2), y);
  assert.equal(revealSome(new Uint8Array(5), 0.5, 1).reduce((a, b) => a + b, 0), 0);
});

test('semi-supervised and supervised detectors get their labels; semi-supervised ones need a labeled fraction', async () => {
  const { X, labels } = shiftedAnomalies({ rows: 300, cols: 3, anomalies: 30, seed: 2 });
  const set = { name: 'toy', X, y: labels };
  const options = { devnet: { epochs: 5, stepsPerEpoch: 10, batchSize: 64, learningRate: 0.01 }, classifier: { epochs: 5 } };
  const [r] = await benchTabular([set], { detectors: ['devnet', 'classifier', 'zscore'], trials: 1, labeledFraction: 0.1, options });
  for (const d of ['devnet', 'classifier', 'zscore']) assert.ok(r!.detectors[d]!.roc > 0.9, `${d}: ${r!.detectors[d]!.roc}`);
  await assert.rejects(benchTabular([set], { detectors: ['devnet'], trials: 1, options }), (e: unknown) => e instanceof OptionsError && /devnet is semi-supervised/.test((e as Error).message));
  await assert.rejects(benchTabular([set], { detectors: ['zscore'], trials: 1, labeledFraction: 0 }), OptionsError);
});

test('auto runs in the bench as an unsupervised detector (no labels reach it), with PR-AUC beside ROC-AUC (base rate here 0.06)', async () => {
  const { X, labels } = shiftedAnomalies({ rows: 200, cols: 3, anomalies: 12, seed: 4 });
  const [r] = await benchTabular([{ name: 'toy', X, y: labels }], { detectors: ['auto', 'iforest'], trials: 1 });
  const auto = r!.detectors['auto']!;
  assert.ok(auto.roc > 0.9, `auto ROC ${auto.roc}`);
  assert.ok(auto.pr_auc > 0.2 && auto.pr_auc <= 1, `auto PR-AUC ${auto.pr_auc}`);
  assert.ok(r!.detectors['iforest']!.pr_auc > 0);
});
