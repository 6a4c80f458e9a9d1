import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { robustZ } from './robust-z.js';
import { zscore } from './zscore.js';

function oneColumn(values: number[]) {
  return fromRows(values.map((v) => [v]));
}

test('median and MAD barely move when 20% of the sample is planted far away; mean and sd do', async () => {
  const rng = new Rng(42);
  const clean = Array.from({ length: 400 }, () => rng.normal());
  const dirty = [...clean, ...Array.from({ length: 100 }, () => 50 + rng.normal())];
  const fitBoth = async (values: number[]) => {
    const r = robustZ();
    const z = zscore();
    await r.fit(oneColumn(values));
    await z.fit(oneColumn(values));
    const rs = r.getState().arrays;
    const zs = z.getState().arrays;
    return { center: rs['center']![0]!, scale: rs['scale']![0]!, mean: zs['mean']![0]!, sd: zs['sd']![0]! };
  };
  const a = await fitBoth(clean);
  const b = await fitBoth(dirty);
  // With 20% contamination on one side the median moves to the clean 62.5th percentile (z ~ 0.32).
  assert.ok(Math.abs(b.center - a.center) < 0.45, `median moved ${b.center - a.center}`);
  assert.ok(b.scale / a.scale < 1.4, `MAD grew ${b.scale / a.scale}x`);
  assert.ok(b.mean - a.mean > 9, `mean moved ${b.mean - a.mean}`);
  assert.ok(b.sd / a.sd > 15, `sd grew ${b.sd / a.sd}x`);
  // So robust-z still flags the planted rows, where the z-score cutoff of 3 would miss them all.
  const r = robustZ();
  await r.fit(oneColumn(dirty));
  const z = zscore();
  await z.fit(oneColumn(dirty));
  const far = oneColumn([50]);
  assert.ok((await r.score(far))[0]! > r.naturalThreshold!()!);
  assert.ok((await z.score(far))[0]! < 3);
});

test('robust z is |x - median| / (1.4826 MAD) and natural threshold is the 3.5 cutoff', async () => {
  const d = robustZ();
  await d.fit(oneColumn([1, 2, 3, 4, 100]));
  // median 3, absolute deviations 2 1 0 1 97 -> MAD 1.
  const e = await d.explain!(oneColumn([3, 6, 0]));
  assert.ok(Math.abs(e.data[1]! - 3 / 1.482602218505602) < 1e-12);
  assert.ok(Math.abs(e.data[2]! - 3 / 1.482602218505602) < 1e-12);
  assert.equal(e.data[0], 0);
  assert.equal(d.naturalThreshold!(), 3.5);
});

test('a zero MAD falls back to 1.2533 x the mean absolute deviation, and a constant feature to 1', async () => {
  const d = robustZ();
  const X = matrix(10, 2);
  // Feature 0: eight zeros, a 1 and a 2 -> median 0, MAD 0, mean absolute deviation 0.3.
  X.data[16] = 1;
  X.data[18] = 2;
  await d.fit(X);
  const scale = d.getState().arrays['scale'] as Float64Array;
  assert.ok(Math.abs(scale[0]! - 1.2533141373155003 * 0.3) < 1e-12);
  assert.equal(scale[1], 1);
  const s = await d.score(fromRows([[2, 0.5]]));
  assert.ok(Number.isFinite(s[0]!) && Math.abs(s[0]! - 2 / (1.2533141373155003 * 0.3)) < 1e-9);
});

test('combine follows zscore: max, mean or L2 of the per-feature robust z', async () => {
  const X = fromRows([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
  const row = fromRows([[2 + 3 * 1.482602218505602, 2 + 4 * 1.482602218505602]]);
  for (const [combine, expected] of [['max', 4], ['mean', 3.5], ['l2', 5 / Math.SQRT2]] as const) {
    const d = robustZ({ combine });
    await d.fit(X);
    assert.ok(Math.abs((await d.score(row))[0]! - expected) < 1e-12, combine);
  }
});
