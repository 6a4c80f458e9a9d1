import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../../core/errors.js';
import { standardize } from '../../core/linalg.js';
import { defaultEngine, withModel } from '../../engine/engine.js';
import { rocAuc } from '../../evaluate/metrics.js';
import { plantedOutliers, shiftedAnomalies } from '../../testing/synthetic.js';
import { classifier, classifierSpec, classWeights } from './classifier.js';
import { devnet, devnetSpec, referenceStats } from './devnet.js';
import { checkLabels } from './labeled.js';

const { X, labels } = plantedOutliers({ rows: 160, cols: 4, outliers: 8, seed: 21 });

/** The network the saved weights belong to, run on the rows as the detector sees them. */
async function networkOutput(state: ReturnType<ReturnType<typeof devnet>['getState']>, spec: Parameters<typeof withModel>[1]): Promise<Float64Array> {
  const engine = await defaultEngine();
  const weights = Object.fromEntries(Object.entries(state.arrays).filter(([k]) => k.startsWith('w:')).map(([k, v]) => [k.slice(2), v as Float32Array]));
  const x = standardize(X, { mean: state.arrays['scale.mean'] as Float64Array, sd: state.arrays['scale.sd'] as Float64Array });
  return Float64Array.from((await withModel(engine, spec, weights, (m) => engine.forward(m, x))).data);
}

describe('devnet', () => {
  test('the reference is the mean and sd of seeded N(0, 1) draws', () => {
    const r = referenceStats(5000, 1);
    assert.ok(Math.abs(r.mean) < 0.05 && Math.abs(r.sd - 1) < 0.05, JSON.stringify(r));
    assert.deepEqual(referenceStats(5000, 1), r);
    assert.notDeepEqual(referenceStats(5000, 2), r);
  });

  test('the paper network and batches by default: one hidden layer of 20 ReLU units, then one linear score', () => {
    const spec = devnetSpec(6, { hiddenSizes: [20], activation: 'relu' });
    assert.deepEqual(spec.networks['main']!.layers.map((l) => (l.type === 'dense' ? [l.units, l.activation] : l.type)), [[20, 'relu'], [1, 'linear']]);
    const o = devnet().options;
    assert.deepEqual([o['epochs'], o['batchSize'], o['stepsPerEpoch'], o['margin'], o['referenceDraws'], o['weightDecay']], [20, 512, 20, 5, 5000, 0.5]);
  });

  test('score = phi(x), the network output; the loss saved is the deviation loss with its reference', async () => {
    const some = new Uint8Array(labels.length);
    some[labels.indexOf(1)] = 1;
    some[labels.lastIndexOf(1)] = 1;
    const d = devnet({ epochs: 3, stepsPerEpoch: 5, batchSize: 32, seed: 2 });
    await d.fit(X, { labels: some });
    const st = d.getState();
    const loss = st.params['loss'] as Record<string, number | string>;
    assert.equal(loss['kind'], 'deviation');
    assert.equal(loss['margin'], 5);
    assert.deepEqual([loss['referenceMean'], loss['referenceSd']], (({ mean, sd }) => [mean, sd])(referenceStats(5000, (2 ^ 0x2545f491) | 0)));
    const phi = await networkOutput(st, devnetSpec(4, { hiddenSizes: [20], activation: 'relu' }));
    assert.deepEqual(await d.score(X), phi);
  });

  test('a few labeled anomalies teach it to rank the unlabeled ones of their kind on top', async () => {
    // 10 anomalies shifted by 4 along feature 0 among 190 N(0, I) rows; 3 of them labeled.
    const { X: x, labels: y } = shiftedAnomalies({ rows: 200, cols: 4, anomalies: 10, shift: 4, seed: 5 });
    const some = y.map((v, i) => (v === 1 && i < 60 ? 1 : 0));
    const d = devnet({ epochs: 5, stepsPerEpoch: 10, batchSize: 64, learningRate: 0.01, seed: 1 });
    await d.fit(x, { labels: some });
    const s = await d.score(x);
    const rest = [...y.keys()].filter((i) => some[i] === 0);
    const auc = rocAuc(Uint8Array.from(rest, (i) => y[i]!), Float64Array.from(rest, (i) => s[i]!));
    assert.ok(auc > 0.95, `7 unlabeled anomalies among 190 unlabeled rows: ROC ${auc.toFixed(3)}`);
  });

  test('bad options are rejected clearly', () => {
    assert.throws(() => devnet({ margin: 0 }), (e: unknown) => e instanceof OptionsError && /'margin'/.test((e as Error).message));
    assert.throws(() => devnet({ referenceDraws: 1 }), (e: unknown) => e instanceof OptionsError && /'referenceDraws'/.test((e as Error).message));
    assert.throws(() => devnet({ stepsPerEpoch: 0 }), (e: unknown) => e instanceof OptionsError && /'stepsPerEpoch'/.test((e as Error).message));
  });
});

describe('classifier', () => {
  test('balanced class weights: each class weighs half the rows in total', () => {
    const y = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(classWeights(y, 'balanced'), { positiveWeight: 5, negativeWeight: 10 / 18 });
    assert.deepEqual(classWeights(y, 'none'), { positiveWeight: 1, negativeWeight: 1 });
  });

  test('score = sigmoid of the network logit, in (0, 1), with 0.5 as its natural threshold', async () => {
    const d = classifier({ epochs: 5, seed: 3, focalGamma: 2 });
    await d.fit(X, { labels });
    const s = await d.score(X);
    assert.ok(s.every((v) => v > 0 && v < 1));
    assert.equal(d.naturalThreshold!(), 0.5);
    const st = d.getState();
    assert.equal((st.params['loss'] as { gamma: number }).gamma, 2);
    const logits = await networkOutput(st, classifierSpec(4, { hiddenSizes: [64, 32], activation: 'relu', dropout: 0, batchNorm: false }));
    logits.forEach((z, i) => assert.ok(Math.abs(1 / (1 + Math.exp(-z)) - s[i]!) < 1e-12));
    assert.ok(rocAuc(labels, s) > 0.95);
  });

  test('bad options are rejected clearly', () => {
    assert.throws(() => classifier({ classWeight: 'auto' as 'none' }), (e: unknown) => e instanceof OptionsError && /'classWeight'/.test((e as Error).message));
    assert.throws(() => classifier({ focalGamma: -1 }), (e: unknown) => e instanceof OptionsError && /'focalGamma'/.test((e as Error).message));
  });
});

test('labels are checked: present, one per row, 0/1, both classes', () => {
  const msg = (f: () => void, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof DataError && re.test((e as Error).message));
  msg(() => checkLabels('devnet', 'semi-supervised', 3, undefined), /devnet is semi-supervised: fit it with 0\/1 labels \(1 = known anomaly, 0 = unlabeled\)/);
  msg(() => checkLabels('classifier', 'supervised', 3, Uint8Array.of(0, 0, 0)), /no row is labeled 1 \(1 = anomaly, 0 = normal\)/);
  msg(() => checkLabels('classifier', 'supervised', 3, Uint8Array.of(1, 1, 1)), /every row is labeled 1/);
  msg(() => checkLabels('classifier', 'supervised', 3, Uint8Array.of(1, 2, 0)), /labels must be 0 or 1, got 2/);
  msg(() => checkLabels('classifier', 'supervised', 3, Uint8Array.of(1, 0)), /2 labels for 3 rows/);
  assert.deepEqual(checkLabels('devnet', 'semi-supervised', 2, Uint8Array.of(1, 0)), Uint8Array.of(1, 0));
});
