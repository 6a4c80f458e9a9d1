import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../core/random.js';
import { matrix } from '../../core/matrix.js';
import { combinedCutoff } from './combine.js';
import { robustZ } from './robust-z.js';
import { zscore } from './zscore.js';

test('on one feature every combine cuts at |z| > c', () => {
  for (const how of ['max', 'mean', 'l2'] as const) assert.ok(Math.abs(combinedCutoff(3, 1, how) - 3) < 1e-9, how);
});

test('the auto cutoff of every combine flags few rows of independent normal features, at any width', async () => {
  const rng = new Rng(12);
  for (const d of [2, 9, 40]) {
    const n = 4000;
    const X = matrix(n, d, Float64Array.from({ length: n * d }, () => rng.normal()));
    for (const def of [zscore, robustZ]) {
      for (const combine of ['max', 'mean', 'l2'] as const) {
        const det = def({ combine });
        await det.fit(X);
        const s = await det.score(X);
        const cut = det.naturalThreshold!()!;
        const flagged = s.filter((v) => v > cut).length / n;
        // max tests each feature: about d x 0.27% (3) or d x 0.05% (3.5) of rows.
        const limit = combine === 'max' ? Math.min(0.15, d * 0.004) : 0.01;
        assert.ok(flagged <= limit, `${def.name} ${combine} d=${d}: cutoff ${cut} flags ${(100 * flagged).toFixed(2)}%`);
        if (combine === 'mean') assert.ok(cut > Math.sqrt(2 / Math.PI), `${def.name} mean d=${d}: cutoff ${cut} is below E|z|`);
      }
    }
  }
});
