import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, selectRows } from '../../core/matrix.js';
import { plantedOutliers } from '../../testing/synthetic.js';
import { averagePathLength, iforest } from './iforest.js';

test('c(n) as scikit-learn computes it', () => {
  // sklearn.ensemble._iforest._average_path_length([1, 2, 3, 10, 256])
  const want = [0, 1, 1.207392357589623, 3.748880484475504, 10.244770920119917];
  [1, 2, 3, 10, 256].forEach((n, i) => assert.ok(Math.abs(averagePathLength(n) - want[i]!) < 1e-12, `c(${n})`));
  assert.equal(averagePathLength(0), 0);
});

test('scores lie in (0, 1); planted outliers above 0.5, the bulk below', async () => {
  const { X, labels } = plantedOutliers({ rows: 400, cols: 5, outliers: 12, seed: 3 });
  const d = iforest({ seed: 1 });
  await d.fit(X);
  const s = await d.score(X);
  let inlierMean = 0;
  let outlierMin = Infinity;
  s.forEach((v, i) => {
    assert.ok(v > 0 && v < 1, `score ${v}`);
    if (labels[i]) outlierMin = Math.min(outlierMin, v);
    else inlierMean += v / (X.rows - 12);
  });
  assert.ok(outlierMin > 0.5, `weakest outlier ${outlierMin}`);
  assert.ok(inlierMean < 0.5, `mean inlier score ${inlierMean}`);
});

test('auto uses a cutoff only when one is given; 0.5 is no default', async () => {
  const { X } = plantedOutliers({ rows: 100, cols: 3, outliers: 4, seed: 3 });
  const plain = iforest({ seed: 1 });
  await plain.fit(X);
  assert.equal(plain.naturalThreshold!(), undefined);
  const given = iforest({ seed: 1, cutoff: 0.6 });
  await given.fit(X);
  assert.equal(given.naturalThreshold!(), 0.6);
});

test('each tree: psi rows in its leaves, depth within ceil(log2 psi), children after parents', async () => {
  const { X } = plantedOutliers({ rows: 300, cols: 4, seed: 5 });
  const d = iforest({ nEstimators: 20, maxSamples: 100, seed: 2 });
  await d.fit(X);
  const { params, arrays } = d.getState();
  assert.equal(params['samples'], 100);
  const feature = arrays['feature'] as Int32Array;
  const left = arrays['left'] as Int32Array;
  const right = arrays['right'] as Int32Array;
  const size = arrays['size'] as Int32Array;
  const roots = arrays['roots'] as Int32Array;
  assert.equal(roots.length, 20);
  const limit = Math.ceil(Math.log2(100));
  for (const root of roots) {
    let leafRows = 0;
    const walk = (node: number, depth: number): void => {
      assert.ok(depth <= limit);
      if (feature[node]! < 0) {
        leafRows += size[node]!;
        return;
      }
      assert.ok(left[node]! > node && right[node]! > node);
      assert.equal(size[left[node]!]! + size[right[node]!]!, size[node]);
      walk(left[node]!, depth + 1);
      walk(right[node]!, depth + 1);
    };
    walk(root, 0);
    assert.equal(leafRows, 100);
  }
});

test('maxSamples is capped at the training rows', async () => {
  const d = iforest({ nEstimators: 3 });
  await d.fit(plantedOutliers({ rows: 50, seed: 1 }).X);
  assert.equal(d.getState().params['samples'], 50);
});

test('constant data cannot be split: every tree is one leaf and every score exactly 0.5', async () => {
  // Path length c(psi) everywhere, so s = 2^(-c(psi) / c(psi)).
  const d = iforest({ nEstimators: 5 });
  await d.fit(fromRows(Array.from({ length: 30 }, () => [2, -1])));
  assert.equal(d.getState().arrays['feature']!.length, 5);
  assert.deepEqual(Array.from(await d.score(fromRows([[2, -1], [100, 100]]))), [0.5, 0.5]);
});

test('the seed matters; batches do not', async () => {
  const { X } = plantedOutliers({ rows: 200, seed: 9 });
  const a = iforest({ seed: 1 });
  const b = iforest({ seed: 2 });
  await a.fit(X);
  await b.fit(X);
  const sa = await a.score(X);
  assert.notDeepEqual(sa, await b.score(X));
  const part = await a.score(selectRows(X, [5, 6, 7]));
  assert.deepEqual(Array.from(part), [sa[5], sa[6], sa[7]]);
});
