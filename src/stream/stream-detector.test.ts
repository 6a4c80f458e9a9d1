import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../core/random.js';
import { MAD_TO_SD, mad, mean, median, std } from '../core/stats.js';
import { FixedThreshold, SpotThreshold, type StreamDetector, type StreamResult } from './stream-detector.js';
import { RollingZ } from './detectors/rolling-z/rolling-z.js';
import { EwmaDetector } from './detectors/ewma/ewma.js';
import { RollingMad } from './detectors/rolling-mad/rolling-mad.js';
import { Discord } from './detectors/discord/discord.js';
import { Htm } from './detectors/htm/htm.js';
import { ARTIME_NAB_THRESHOLD, Artime } from './detectors/artime/artime.js';

/** One shared suite: every stream detector is listed here with a batch reference. */
interface Case {
  name: string;
  make: (q?: number) => StreamDetector;
  restore: (state: unknown) => StreamDetector;
  /** Largest buffer the detector may ever hold. */
  window: number;
  /** Batch computation of the score of every point of a univariate series (none for HTM and ARTime: their only definition is the online one, tested in their own folders). */
  batch?: (xs: Float64Array) => Float64Array;
}

const W = 50;
const ALPHA = 0.1;
/** Discord: subsequence length and history; a short history so the tests cross its bound and its exact recomputes. */
const M = 4;
const H = 60;

const cases: Case[] = [
  {
    name: 'rolling-z',
    make: (q) => new RollingZ({ window: W, warmup: 1000, threshold: q ? new SpotThreshold(q) : new FixedThreshold(4) }),
    restore: (s) => RollingZ.fromJSON(s),
    window: W,
    batch: (xs) =>
      xs.map((x, i) => {
        if (i < 2) return 0;
        const win = xs.subarray(Math.max(0, i - W), i);
        const m = mean(win);
        const d = Math.abs(x - m);
        return d === 0 ? 0 : d / std(win, 0, m);
      }),
  },
  {
    name: 'rolling-mad',
    make: (q) => new RollingMad({ window: W, warmup: 1000, threshold: q ? new SpotThreshold(q) : new FixedThreshold(4) }),
    restore: (s) => RollingMad.fromJSON(s),
    window: W,
    batch: (xs) =>
      xs.map((x, i) => {
        if (i < 2) return 0;
        const win = xs.subarray(Math.max(0, i - W), i);
        const m = median(win);
        const d = Math.abs(x - m);
        return d === 0 ? 0 : d / (MAD_TO_SD * mad(win, m));
      }),
  },
  {
    name: 'ewma',
    make: (q) => new EwmaDetector({ alpha: ALPHA, warmup: 1000, threshold: q ? new SpotThreshold(q) : new FixedThreshold(4) }),
    restore: (s) => EwmaDetector.fromJSON(s),
    window: 0,
    // Batch form: weighted mean and variance with weights α(1-α)^(i-1-j), first value weight (1-α)^(i-1).
    batch: (xs) =>
      xs.map((x, i) => {
        if (i < 2) return 0;
        const w = new Float64Array(i);
        for (let j = 0; j < i; j++) w[j] = (j === 0 ? 1 : ALPHA) * (1 - ALPHA) ** (i - 1 - j);
        let m = 0;
        for (let j = 0; j < i; j++) m += w[j]! * xs[j]!;
        // variance by the same recursion's closed form is intricate; recompute by recursion on the prefix
        let mm = xs[0]!;
        let v = 0;
        for (let j = 1; j < i; j++) {
          const diff = xs[j]! - mm;
          mm += ALPHA * diff;
          v = (1 - ALPHA) * (v + ALPHA * diff * diff);
        }
        assert.ok(Math.abs(m - mm) <= 1e-9 * (1 + Math.abs(m)), 'weighted mean equals the recursion');
        const d = Math.abs(x - m);
        return d === 0 ? 0 : d / Math.sqrt(v);
      }),
  },
  {
    name: 'discord',
    make: (q) => new Discord({ window: M, history: H, warmup: 1000, threshold: q ? new SpotThreshold(q) : new FixedThreshold(4) }),
    restore: (s) => Discord.fromJSON(s),
    window: H + M + 1,
    // Brute force: the window ending at i against every earlier one ending M..H steps before it.
    batch: (xs) =>
      xs.map((_, i) => {
        let best = Infinity;
        for (let L = M; L <= H && i - L - M + 1 >= 0; L++) {
          let d = 0;
          for (let k = 0; k < M; k++) d += (xs[i - k]! - xs[i - L - k]!) ** 2;
          best = Math.min(best, d);
        }
        return best === Infinity ? 0 : Math.sqrt(best / M);
      }),
  },
  {
    name: 'htm',
    make: (q) => new Htm({ columns: 256, calibration: 200, warmup: 1000, threshold: q ? new SpotThreshold(q) : new FixedThreshold(0.99) }),
    restore: (s) => Htm.fromJSON(s),
    window: 200,
  },
  {
    name: 'artime',
    // Always its fixed threshold: it refuses SPOT (its scores are sparse detections; tested in its folder).
    make: () => new Artime({ probation: 200, warmup: 1000, threshold: new FixedThreshold(ARTIME_NAB_THRESHOLD) }),
    restore: (s) => Artime.fromJSON(s),
    window: 200,
  },
];

function series(n: number, seed: number, level = 10): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = level + rng.normal() + (i >= 1000 && i % 97 === 0 ? 8 : 0);
  return xs;
}

function run(d: StreamDetector, xs: ArrayLike<number>): StreamResult[] {
  const out: StreamResult[] = [];
  for (let i = 0; i < xs.length; i++) out.push(d.update(xs[i]!));
  return out;
}

for (const c of cases) {
  test(`${c.name}: bounded memory: buffers never exceed the window`, () => {
    const d = c.make();
    const xs = series(2000, 1);
    for (let i = 0; i < xs.length; i++) {
      d.update(xs[i]!);
      assert.ok(d.bufferedValues() <= c.window, `${d.bufferedValues()} > ${c.window}`);
    }
  });

  test(`${c.name}: streaming equals batch over the same windows`, { skip: c.batch ? false : 'no batch form' }, () => {
    const xs = series(400, 2);
    const want = c.batch!(xs);
    const d = c.make();
    for (let i = 0; i < xs.length; i++) {
      const got = d.update(xs[i]!).score;
      assert.ok(Math.abs(got - want[i]!) <= 1e-7 * (1 + Math.abs(want[i]!)), `point ${i}: ${got} vs ${want[i]}`);
    }
  });

  test(`${c.name}: same input, same output; no flags before warm-up`, () => {
    const xs = series(3000, 3);
    const a = run(c.make(1e-3), xs);
    const b = run(c.make(1e-3), xs);
    assert.deepEqual(a, b);
    for (let i = 0; i < 1000; i++) assert.equal(a[i]!.warm || a[i]!.anomaly, false);
    assert.ok(a.slice(1000).every((r) => r.warm && Number.isFinite(r.threshold)));
    assert.ok(a.some((r) => r.anomaly), 'the injected spikes are flagged');
  });

  test(`${c.name}: JSON round trip continues identically`, () => {
    const xs = series(3000, 4);
    for (const cut of [0, 1, 150, 1000, 1200, 2500]) {
      const a = c.make(1e-3);
      const b0 = c.make(1e-3);
      run(a, xs.subarray(0, cut));
      run(b0, xs.subarray(0, cut));
      const b = c.restore(JSON.parse(JSON.stringify(b0.toJSON())));
      assert.deepEqual(run(b, xs.subarray(cut)), run(a, xs.subarray(cut)), `cut ${cut}`);
    }
  });

  test(`${c.name}: multivariate joint score is the max of the per-channel scores`, () => {
    const xs = series(600, 5);
    const ys = series(600, 6, -3);
    const d = c.make();
    const single = c.make();
    for (let i = 0; i < xs.length; i++) {
      const p = Float64Array.of(xs[i]!, ys[i]!);
      const per = d.explain(p);
      assert.equal(per[0], single.scoreOne(xs[i]!));
      assert.equal(d.update(p).score, Math.max(per[0]!, per[1]!));
      single.update(xs[i]!);
    }
    assert.throws(() => d.update(Float64Array.of(1, 2, 3)), /channels/);
  });
}
