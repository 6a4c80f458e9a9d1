import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { Rng } from '../core/random.js';
import type { SeriesDetector, SeriesScores } from '../detectors/series/series-detector.js';
import type { DetectorState } from '../detectors/detector.js';
import { RefitStream, type RefitResult } from './refit.js';
import { FixedThreshold } from './stream-detector.js';

/**
 * A test-only series detector: the score of step t is |mean(x[t-2..t]) - level| / spread over
 * channel 0, with level and spread learned in `fit`; `fit` first waits for `gate`.
 */
class Fake implements SeriesDetector {
  readonly name = 'fake';
  readonly options = {};
  readonly context = 2;
  fitted = false;
  level = 0;
  spread = 1;
  scoreCalls = 0;
  constructor(
    private readonly gate: Promise<void> = Promise.resolve(),
    private readonly failure?: string,
  ) {}
  async fit(series: Matrix): Promise<void> {
    await this.gate;
    if (this.failure) throw new Error(this.failure);
    let s = 0;
    let ss = 0;
    for (let i = 0; i < series.rows; i++) s += series.data[i * series.cols]!;
    this.level = s / series.rows;
    for (let i = 0; i < series.rows; i++) ss += (series.data[i * series.cols]! - this.level) ** 2;
    this.spread = Math.sqrt(ss / series.rows) || 1;
    this.fitted = true;
  }
  async score(series: Matrix): Promise<SeriesScores> {
    this.scoreCalls++;
    const score = new Float64Array(series.rows);
    for (let t = this.context; t < series.rows; t++) {
      const m = (series.data[(t - 2) * series.cols]! + series.data[(t - 1) * series.cols]! + series.data[t * series.cols]!) / 3;
      score[t] = Math.abs(m - this.level) / this.spread;
    }
    return { score, channels: matrix(series.rows, series.cols, new Float64Array(series.rows * series.cols)), warmup: this.context };
  }
  getState(): DetectorState {
    return { params: { level: this.level, spread: this.spread }, arrays: {} };
  }
  setState(): void {}
}

async function fitted(xs: Float64Array): Promise<Fake> {
  const d = new Fake();
  await d.fit(matrix(xs.length, 1, xs));
  return d;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const noise = (n: number, seed: number, level = 0): Float64Array => {
  const r = new Rng(seed);
  return Float64Array.from({ length: n }, () => level + r.normal());
};

test('refit stream: streaming scores equal batch scores, point by point and in micro-batches', async () => {
  const xs = noise(300, 1);
  const d = await fitted(noise(500, 2));
  const batch = await d.score(matrix(xs.length, 1, xs));
  const s = new RefitStream({ detector: d, create: () => new Fake(), threshold: () => new FixedThreshold(3), warmup: 0 });
  const got: RefitResult[] = [];
  // Not awaited one by one: the stream still serves them in order.
  got.push(...(await Promise.all(Array.from(xs.subarray(0, 150), (x) => s.update(x)))));
  for (let i = 150; i < xs.length; i += 7) {
    const part = xs.slice(i, Math.min(i + 7, xs.length));
    got.push(...(await s.updateMany(matrix(part.length, 1, part))));
  }
  assert.equal(got.length, xs.length);
  assert.deepEqual(got.map((r) => r.score), Array.from(batch.score));
  assert.deepEqual(got.slice(0, 2).map((r) => r.warm), [false, false]);
  assert.ok(got.slice(2).every((r) => r.warm && r.threshold === 3 && r.anomaly === r.score > 3 && r.generation === 0));
});

test('refit stream: a drift starts a background refit; scoring goes on meanwhile; the new model takes over at the swap', async () => {
  const gate = deferred();
  const made: Fake[] = [];
  const s = new RefitStream({
    detector: await fitted(noise(500, 3)),
    create: () => {
      const f = new Fake(gate.promise);
      made.push(f);
      return f;
    },
    threshold: () => new FixedThreshold(3),
    warmup: 0,
    buffer: 200,
  });
  for (const x of noise(1000, 4)) assert.equal((await s.update(x)).drift, false);
  const shifted = noise(800, 5, 5);
  let driftAt = -1;
  let startedAt = -1;
  let i = 0;
  for (; i < 600; i++) {
    const r = await s.update(shifted[i]!);
    if (r.events.some((e) => e.type === 'drift') && driftAt < 0) driftAt = i;
    const started = r.events.find((e) => e.type === 'refit-started');
    if (started) {
      startedAt = i;
      assert.deepEqual(started, { type: 'refit-started', points: 200 });
    }
    assert.equal(r.generation, 0, 'the old model scores while the refit is pending');
    if (i > 10) assert.equal(r.anomaly, true, `point ${i} after the shift`);
  }
  assert.ok(driftAt >= 0 && driftAt <= 64, `drift seen ${driftAt} points after the shift`);
  // The refit waits until the buffer holds only the new regime.
  assert.equal(startedAt, driftAt + 200);
  assert.equal(made.length, 1, 'one refit at a time');
  assert.equal(s.refitting, true);
  gate.resolve();
  await s.settled();
  assert.equal(s.generation, 1);
  const after = await s.update(shifted[i++]!);
  assert.deepEqual(after.events, [{ type: 'swapped', generation: 1 }]);
  assert.equal(after.generation, 1);
  assert.ok(made[0]!.scoreCalls >= 2, 'the new model scores (its buffer, then the stream)');
  assert.ok(Math.abs(made[0]!.level - 5) < 0.3, `learned level ${made[0]!.level}`);
  let flagged = 0;
  for (; i < shifted.length; i++) if ((await s.update(shifted[i]!)).anomaly) flagged++;
  assert.ok(flagged <= 2, `${flagged} flags in the new regime after the swap`);
});

test('refit stream: a failed refit keeps the old model and says why', async () => {
  const s = new RefitStream({
    detector: await fitted(noise(500, 6)),
    create: () => new Fake(undefined, 'out of memory'),
    threshold: () => new FixedThreshold(3),
    warmup: 0,
    buffer: 100,
    refitAfter: 0,
  });
  for (const x of noise(500, 7)) await s.update(x);
  const results: RefitResult[] = [];
  for (const x of noise(200, 8, 6)) results.push(await s.update(x));
  await s.settled();
  results.push(await s.update(6));
  const events = results.flatMap((r) => r.events);
  assert.ok(events.some((e) => e.type === 'refit-started'));
  assert.ok(events.some((e) => e.type === 'refit-failed' && e.error === 'out of memory'), JSON.stringify(events));
  assert.ok(!events.some((e) => e.type === 'swapped'));
  assert.ok(results.every((r) => r.generation === 0));
  assert.equal(results.at(-1)!.anomaly, true, 'the old model still judges');
});

test('refit stream: an unusable threshold calibration fails the refit, not the stream', async () => {
  const { SpotThreshold } = await import('./stream-detector.js');
  const s = new RefitStream({
    detector: await fitted(noise(500, 9)),
    create: () => new Fake(),
    // The first model uses a fixed threshold; the refit's SPOT cannot calibrate on 50 scores.
    threshold: (() => {
      let n = 0;
      return () => (n++ === 0 ? new FixedThreshold(3) : new SpotThreshold(1e-3));
    })(),
    warmup: 0,
    buffer: 50,
    refitAfter: 0,
  });
  for (const x of noise(500, 10)) await s.update(x);
  const results: RefitResult[] = [];
  for (const x of noise(100, 11, 6)) results.push(await s.update(x));
  await s.settled();
  results.push(await s.update(6));
  const failed = results.flatMap((r) => r.events).find((e) => e.type === 'refit-failed');
  assert.match((failed as { error: string } | undefined)?.error ?? 'no failure', /scores lie above/);
  assert.ok(results.every((r) => r.generation === 0 && r.threshold === 3));
});

test('refit stream: bad options and inputs are refused clearly', async () => {
  assert.throws(() => new RefitStream({ detector: new Fake(), create: () => new Fake() }), /must be fitted/);
  const d = await fitted(noise(100, 12));
  assert.throws(() => new RefitStream({ detector: d, create: () => new Fake(), buffer: 2 }), OptionsError);
  assert.throws(() => new RefitStream({ detector: d, create: () => new Fake(), refitAfter: -1 }), OptionsError);
  const s = new RefitStream({ detector: d, create: () => new Fake(), threshold: () => new FixedThreshold(3), warmup: 0 });
  await s.update(1);
  await assert.rejects(s.update(Float64Array.of(1, 2)), /expected 1 channels, got 2/);
  assert.equal((await s.update(1)).score, 0, 'the stream goes on after a refused point');
});

test('refit stream: warm-up scores calibrate the first threshold; input drift is watched per channel', async () => {
  const two = (n: number, seed: number, shift2: number): Matrix => {
    const r = new Rng(seed);
    return matrix(n, 2, Float64Array.from({ length: 2 * n }, (_, k) => r.normal() + (k % 2 ? shift2 : 0)));
  };
  const train = two(500, 13, 0);
  const d = new Fake();
  await d.fit(train);
  let thresholds = 0;
  const s = new RefitStream({
    detector: d,
    create: () => new Fake(),
    threshold: () => {
      thresholds++;
      return new FixedThreshold(3);
    },
    driftOn: 'input',
    warmup: 50,
    refitAfter: 0,
    buffer: 100,
  });
  const calm = await s.updateMany(two(1000, 14, 0));
  // 2 steps without history, then 50 calibration scores, then judged.
  assert.equal(calm.findIndex((r) => r.warm), 52);
  assert.ok(calm.slice(52).every((r) => r.warm && r.threshold === 3));
  assert.ok(calm.every((r) => !r.drift));
  // Only channel 1 shifts: the score (channel 0) cannot see it, the input watch does.
  const moved = await s.updateMany(two(300, 15, 4));
  const at = moved.findIndex((r) => r.drift);
  assert.ok(at >= 0 && at <= 64, `drift at ${at}`);
  assert.ok(moved[at]!.events.some((e) => e.type === 'refit-started'));
  await s.settled();
  assert.equal(s.generation, 1);
  assert.equal(thresholds, 2, 'the new model got a threshold of its own');
});
