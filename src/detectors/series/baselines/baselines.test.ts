import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix, row, type Matrix } from '../../../core/matrix.js';
import { Rng } from '../../../core/random.js';
import { EwmaDetector } from '../../../stream/detectors/ewma/ewma.js';
import { RollingMad } from '../../../stream/detectors/rolling-mad/rolling-mad.js';
import { RollingZ } from '../../../stream/detectors/rolling-z/rolling-z.js';
import { FixedThreshold, type StreamDetector } from '../../../stream/stream-detector.js';
import { detectPeriod } from './period.js';
import { seriesEwma, seriesRollingMad, seriesRollingZ } from './rolling.js';
import { seasonal } from './seasonal.js';

/** Two channels: a daily-like sine plus noise on channel 0, a random walk on channel 1; a spike at step 250 on channel 1. */
function wave(steps = 300, period = 24, seed = 3): Matrix {
  const rng = new Rng(seed);
  const m = matrix(steps, 2);
  let walk = 0;
  for (let t = 0; t < steps; t++) {
    walk += 0.1 * rng.normal();
    m.data[t * 2] = 10 * Math.sin((2 * Math.PI * t) / period) + rng.normal();
    m.data[t * 2 + 1] = walk + (t === 250 ? 8 : 0);
  }
  return m;
}

const streams: [string, () => ReturnType<typeof seriesRollingZ>, () => StreamDetector][] = [
  ['rolling-z', () => seriesRollingZ({ window: 30 }), () => new RollingZ({ window: 30, threshold: new FixedThreshold(5) })],
  ['rolling-mad', () => seriesRollingMad({ window: 30 }), () => new RollingMad({ window: 30, threshold: new FixedThreshold(5) })],
  ['ewma', () => seriesEwma({ alpha: 0.1 }), () => new EwmaDetector({ alpha: 0.1, threshold: new FixedThreshold(5) })],
];

for (const [name, batch, stream] of streams) {
  test(`${name}: the series detector's scores equal the stream detector's update() scores after the warm-up`, async () => {
    const s = wave();
    const d = batch();
    await d.fit(s);
    const r = await d.score(s);
    assert.equal(r.warmup, d.context);
    const live = stream();
    let nonzero = 0;
    for (let t = 0; t < s.rows; t++) {
      const u = live.update(row(s, t));
      if (t < r.warmup) assert.equal(r.score[t], 0);
      else assert.equal(r.score[t], u.score, `step ${t}`);
      if (r.score[t]! > 0) nonzero++;
    }
    assert.ok(nonzero > 200);
    // The spike on channel 1 is the top score, and the channel scores name channel 1.
    const top = r.score.indexOf(Math.max(...r.score));
    assert.equal(top, 250);
    assert.ok(r.channels.data[top * 2 + 1]! > r.channels.data[top * 2]!);
  });
}

test('rolling detectors check the channel count and round-trip their state', async () => {
  const d = seriesRollingZ({ window: 10 });
  await assert.rejects(d.score(wave()), /not fitted/);
  await d.fit(wave());
  await assert.rejects(d.score(matrix(20, 3)), /fitted on 2 channels, got 3/);
  const e = seriesRollingZ({ window: 10 });
  e.setState(d.getState());
  assert.deepEqual((await e.score(wave())).score, (await d.score(wave())).score);
  assert.throws(() => seriesRollingZ({ window: 1 }), /window/);
});

test('detectPeriod finds the period of a noisy sine and none in a random walk', () => {
  const { period } = detectPeriod(wave(300, 24));
  assert.ok(Math.abs(period - 24) <= 1, `${period}`);
  const walk = matrix(300, 1);
  const rng = new Rng(5);
  let v = 0;
  for (let t = 0; t < 300; t++) walk.data[t] = v += rng.normal();
  assert.equal(detectPeriod(walk).period, 1);
});

test('seasonal: a deviation from the seasonal profile scores high where a global z-score would not', async () => {
  const period = 24;
  const rng = new Rng(9);
  const steps = 240;
  const s = matrix(steps, 1);
  for (let t = 0; t < steps; t++) s.data[t] = 10 * Math.sin((2 * Math.PI * t) / period) + 0.3 * rng.normal();
  const d = seasonal();
  await d.fit(s);
  assert.equal(d.getState().params['period'], period);
  // At a trough (phase 18, value -10) put the peak's value: normal for the series, not for the phase.
  const test = matrix(120, 1, s.data.slice(0, 120));
  test.data[90] = 10;
  const r = await d.score(test);
  assert.equal(r.warmup, 0);
  assert.equal(r.score.indexOf(Math.max(...r.score)), 90);
  assert.ok(r.score[90]! > 20, `${r.score[90]}`);
  // A stretch starting mid-period is aligned by its phase shift, and scores as low as the fitted data.
  const later = await d.score(matrix(100, 1, s.data.slice(37, 137)));
  assert.ok(Math.max(...later.score) < 6, `${Math.max(...later.score)}`);
});

test('seasonal: per-channel and joint (max or sum) scores, state round trip, bad input', async () => {
  const s = wave(240, 24);
  const max = seasonal({ period: 24 });
  const sum = seasonal({ period: 24, combine: 'sum' });
  await max.fit(s);
  await sum.fit(s);
  const a = await max.score(s);
  const b = await sum.score(s);
  for (const t of [10, 250 - 40, 100]) {
    const c0 = a.channels.data[t * 2]!;
    const c1 = a.channels.data[t * 2 + 1]!;
    assert.equal(a.score[t], Math.max(c0, c1));
    assert.ok(Math.abs(b.score[t]! - (c0 + c1)) < 1e-12);
  }
  const copy = seasonal({ period: 24 });
  copy.setState(max.getState());
  assert.deepEqual((await copy.score(s)).score, a.score);
  await assert.rejects(seasonal({ period: 50 }).fit(matrix(30, 1)), /seasonal fit needs at least 2 periods \(100 steps\), got 30/);
  await assert.rejects(max.score(matrix(10, 1)), /fitted on 2 channels, got 1/);
  assert.throws(() => seasonal({ combine: 'mean' } as never), /combine/);
});
