import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { Model } from '../../model/model.js';
import { SeriesModel } from '../../model/series-model.js';
import { frameFromObjects } from '../../data/index.js';
import { createStreamScorer, restoreStreamScorer, type ScoredPoint, type ScorerPoint, type ScorerState, type StreamScorer } from './index.js';

/** Points with a daily-ish wave, noise, a level shift at `shiftAt` and a few spikes; keyed round-robin. */
function points(n: number, o: { seed?: number; keys?: string[]; channels?: string[]; shiftAt?: number } = {}): ScorerPoint[] {
  const rng = new Rng(o.seed ?? 1);
  const keys = o.keys ?? [''];
  const channels = o.channels ?? ['value'];
  return Array.from({ length: n }, (_, i) => {
    const values: Record<string, number> = {};
    channels.forEach((c, j) => {
      const spike = i % 397 === 200 && j === 0 ? 12 : 0;
      values[c] = Math.sin(i / 20 + j) + 0.3 * rng.normal() + (i >= (o.shiftAt ?? Infinity) ? 4 : 0) + spike;
    });
    const key = keys[i % keys.length]!;
    return key === '' ? { t: 1_764_583_200_000 + i * 60_000, values } : { t: 1_764_583_200_000 + i * 60_000, key, values };
  });
}

/** JSON text and back, as the service stores a checkpoint. */
const viaText = (s: ScorerState): ScorerState => JSON.parse(JSON.stringify(s)) as ScorerState;

async function pushAll(s: StreamScorer, ps: readonly ScorerPoint[]): Promise<ScoredPoint[]> {
  const out: ScoredPoint[] = [];
  for (const p of ps) out.push(await s.push(p));
  return out;
}

/** Pushing with checkpoints at `cuts` (restored from JSON text each time) equals pushing straight through. */
async function assertCheckpointsInvisible(make: () => StreamScorer, ps: ScorerPoint[], cuts: number[], model?: Model | SeriesModel): Promise<ScoredPoint[]> {
  const straight = await pushAll(make(), ps);
  let s = make();
  const resumed: ScoredPoint[] = [];
  let at = 0;
  for (const cut of [...cuts, ps.length]) {
    resumed.push(...(await pushAll(s, ps.slice(at, cut))));
    await s.settle();
    s = restoreStreamScorer(viaText(s.toJSON()), model);
    at = cut;
  }
  assert.equal(resumed.length, straight.length);
  for (let i = 0; i < straight.length; i++) assert.deepEqual(resumed[i], straight[i], `point ${i}`);
  return straight;
}

test('a stream detector: restored from a checkpoint it scores bit-identically to an uninterrupted run', async () => {
  for (const spec of [
    { detector: 'rolling-mad', options: { window: 60 }, threshold: { kind: 'risk', q: 1e-3 }, warmup: 600, drift: { kind: 'adwin' } },
    { detector: 'ewma', options: { alpha: 0.05 } },
    { detector: 'discord', options: { window: 16, history: 400 }, threshold: { kind: 'value', value: 3 }, warmup: 50 },
    { detector: 'artime', options: { min: -3, max: 8, probation: 300 } },
    { detector: 'htm', options: { columns: 256, cellsPerColumn: 4, calibration: 100 }, threshold: { kind: 'value', value: 0.5 } },
  ]) {
    const ps = points(spec.detector === 'htm' ? 400 : 2500, { shiftAt: 1500 });
    const out = await assertCheckpointsInvisible(() => createStreamScorer(spec), ps, [1, 250, 777, 1499]);
    assert.ok(out.some((r) => !r.warmingUp), `${spec.detector} warmed up`);
    if (spec.detector === 'rolling-mad') {
      assert.ok(out.some((r) => r.anomaly), 'the spikes are flagged');
      assert.ok(out.some((r) => r.drift), 'the shift drifts');
    }
  }
});

test('a keyed stream of two channels: each key has its own state; checkpoints do not show', async () => {
  const spec = { detector: 'rolling-z', options: { window: 30 }, threshold: { kind: 'value', value: 5 }, warmup: 30, maxSeries: 3 };
  const ps = points(1800, { keys: ['host-1', 'host-2', 'host-3'], channels: ['cpu', 'mem'], seed: 4 });
  const out = await assertCheckpointsInvisible(() => createStreamScorer(spec), ps, [2, 3, 900, 1001]);
  assert.deepEqual(Object.keys(out[100]!.channels!), ['cpu', 'mem']);
  assert.equal(out[100]!.score, Math.max(0, ...Object.values(out[100]!.channels!)));
  // Key independence: host-2 alone gives the same verdicts as host-2 within the mix.
  const alone = await pushAll(createStreamScorer(spec), ps.filter((p) => p.key === 'host-2'));
  assert.deepEqual(alone, out.filter((r) => r.key === 'host-2'));
});

test('a series detector learning online: fit, drift, refit and swap land on the same points after a restore', async () => {
  const spec = { detector: 'seasonal', options: { period: 1 }, warmup: 200, threshold: { kind: 'value', value: 6 }, drift: { kind: 'page-hinkley' }, driftOn: 'input', buffer: 300, refitAfter: 100 };
  const ps = points(1500, { shiftAt: 700, seed: 9 });
  const out = await assertCheckpointsInvisible(() => createStreamScorer(spec), ps, [100, 200, 201, 750, 900, 1200]);
  const events = out.flatMap((r, i) => (r.events ?? []).map((e) => `${i}:${e.type}`));
  assert.ok(events.includes('199:fit-started') && events.includes('200:fitted'), events.join(' '));
  assert.ok(events.some((e) => e.endsWith(':swapped')), events.join(' '));
  assert.ok(out.at(-1)!.generation! >= 1);
});

test('a deep series detector (lstm): a refit after a restore trains the same weights, so the scores match', async () => {
  const spec = { detector: 'lstm', options: { window: 8, units: [4], epochs: 2 }, warmup: 150, buffer: 200, threshold: { kind: 'value', value: 5 }, drift: { kind: 'page-hinkley' }, driftOn: 'input', refitAfter: 30 };
  const ps = points(400, { shiftAt: 250, seed: 8 });
  const out = await assertCheckpointsInvisible(() => createStreamScorer(spec), ps, [200, 300]);
  const events = out.flatMap((r, i) => (r.events ?? []).map((e) => `${i}:${e.type}`));
  assert.ok(events.includes('149:fit-started') && events.some((e) => /^2\d\d:refit-started$/.test(e)) && events.some((e) => e.endsWith(':swapped')), events.join(' '));
});

test('a series detector on two channels gives per-channel scores, and a checkpoint keeps them', async () => {
  const spec = { detector: 'seasonal', options: { period: 1 }, warmup: 100, threshold: { kind: 'value', value: 6 } };
  const ps = points(300, { channels: ['cpu', 'mem'], seed: 5 });
  const out = await assertCheckpointsInvisible(() => createStreamScorer(spec), ps, [50, 150]);
  const warm = out.filter((r) => !r.warmingUp);
  assert.ok(warm.length > 150);
  assert.ok(warm.every((r) => r.channels && Object.keys(r.channels).join() === 'cpu,mem' && Object.values(r.channels).every(Number.isFinite)));
  const spike = out[200]!;
  assert.ok(spike.channels!['cpu']! > spike.channels!['mem']!, 'the spike is in cpu');
});

test('a saved series model and a tabular model score a stream; checkpoints do not show', async () => {
  const rng = new Rng(2);
  const table = { header: ['t', 'v'], rows: Array.from({ length: 400 }, (_, i) => [String(i), String(rng.normal())]) };
  const series = await SeriesModel.fit(table, { detector: 'rolling-z', options: { window: 30 }, timestamp: 't' });
  const sspec = { detector: 'rolling-z', drift: { kind: 'page-hinkley' }, driftOn: 'input', buffer: 200, refitAfter: 50 };
  const ps = points(900, { shiftAt: 400, channels: ['v'] });
  const out = await assertCheckpointsInvisible(() => createStreamScorer(sspec, series), ps, [31, 450, 600], series);
  assert.equal(out[100]!.threshold, series.entries[0]!.cutoff);

  const rows = Array.from({ length: 200 }, (_, i) => ({ a: (i % 10) / 10, kind: i % 2 ? 'x' : 'y' }));
  const model = await Model.fit(frameFromObjects(rows), { detector: 'zscore' });
  const tps: ScorerPoint[] = rows.slice(0, 50).map((r, i) => ({ t: i, values: { a: r.a }, fields: { kind: r.kind } }));
  tps.push({ t: 50, values: { a: 40 }, fields: { kind: 'x' } });
  const tout = await assertCheckpointsInvisible(() => createStreamScorer({ detector: 'zscore', drift: { kind: 'adwin' } }, model), tps, [10], model);
  assert.equal(tout.at(-1)!.anomaly, true);
  const checkpoint = viaText(createStreamScorer(sspec, series).toJSON());
  assert.throws(() => restoreStreamScorer(checkpoint), /taken with a series model/);
  assert.throws(() => restoreStreamScorer(checkpoint, model), /taken with a series model/);
  assert.throws(() => restoreStreamScorer(viaText(createStreamScorer({ detector: 'ewma' }).toJSON()), model), /taken without a model/);
  assert.equal(tout.at(-1)!.threshold, model.cutoff);
});

test('a series model fitted per id scores only its ids: another key is a DataError, in a batch before any point is scored', async () => {
  const rng = new Rng(6);
  const table = { header: ['t', 'host', 'v'], rows: Array.from({ length: 400 }, (_, i) => [String(i >> 1), i % 2 ? 'a' : 'b', String(rng.normal())]) };
  const model = await SeriesModel.fit(table, { detector: 'rolling-z', options: { window: 20 }, timestamp: 't', seriesId: 'host' });
  const s = createStreamScorer({ detector: 'rolling-z' }, model);
  const ps = points(60, { keys: ['a', 'b'], channels: ['v'] });
  await s.pushMany(ps.slice(0, 40));
  const before = JSON.stringify(s.toJSON());
  await assert.rejects(s.push({ ...ps[40]!, key: 'c' }), (e: unknown) => e instanceof DataError && /no model for series 'c'/.test(e.message));
  await assert.rejects(s.pushMany([ps[40]!, { ...ps[41]!, key: 'c' }]), /^DataError: points\[1\]: no model for series 'c'/);
  assert.equal(JSON.stringify(s.toJSON()), before);
  const rest = await s.pushMany(ps.slice(40));
  assert.equal(rest.length, 20);
  assert.ok(rest.every((r) => r.threshold === model.entry(r.key).cutoff));
});

test('a bad spec throws an OptionsError at creation, naming what is wrong', () => {
  for (const [spec, msg] of [
    [{ detector: 'nope' }, /unknown stream detector 'nope'/],
    [{ detector: 'rolling-z', options: { window: 'x' } }, /window must be a number/],
    [{ detector: 'rolling-z', options: { windw: 5 } }, /unknown option 'windw'/],
    [{ detector: 'ewma', warmup: 300 }, /warmup 300 is too short for the default SPOT threshold.*500/],
    [{ detector: 'ewma', warmup: 300, threshold: { kind: 'risk', q: 1e-3 } }, /warmup 300 is too short for the SPOT/],
    [{ detector: 'artime', threshold: { kind: 'risk', q: 1e-3 } }, /too sparse for an EVT threshold/],
    [{ detector: 'ewma', drift: { kind: 'cusum' } }, /drift\.kind/],
    [{ detector: 'ewma', drift: { kind: 'adwin', options: { delta: 'big' } } }, /delta must be a number/],
    [{ detector: 'ewma', buffer: 100 }, /buffer is for series detectors/],
    [{ detector: 'ewma', driftOn: 'input', drift: { kind: 'adwin' } }, /driftOn is for series detectors/],
    [{ detector: 'ewma', driftOn: 'input' }, /driftOn needs a drift watch/],
    [{ detector: 'seasonal', warmup: 1 }, /warmup must be a whole number >= 2/],
    [{ detector: 'seasonal', options: { period: -2 } }, /period/],
    [{ detector: 'ewma', threshold: { kind: 'value', value: Infinity } }, /threshold/],
    [{ detector: 'ewma', surprise: 1 }, /Unrecognized key/],
    [{}, /detector/],
    ['rolling-z', /spec/],
  ] as const) {
    assert.throws(() => createStreamScorer(spec), (e: unknown) => e instanceof OptionsError && msg.test(e.message), JSON.stringify(spec));
  }
  assert.ok(createStreamScorer({ detector: 'ewma', warmup: 500 }), 'the shortest warm-up SPOT can calibrate on is accepted');
});

test('a model with options meant for a detector learning online is refused at creation', async () => {
  const model = await Model.fit(frameFromObjects([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 2.5 }]), { detector: 'zscore' });
  assert.throws(() => createStreamScorer({ detector: 'zscore', options: { k: 1 } }, model), /options is for detectors learning online/);
  assert.throws(() => createStreamScorer({ detector: 'zscore', threshold: { kind: 'risk', q: 1e-3 } }, model), /only a fixed value .* replaces it/);
  assert.throws(() => createStreamScorer({ detector: 'zscore', model: 'mv_1' }), /names model 'mv_1'; give the fitted model/);
  assert.throws(() => createStreamScorer({ detector: 'iforest' }, model), /model's is 'zscore'/);
  assert.throws(() => createStreamScorer({ detector: 'zscore', buffer: 10 }, model), /buffer is for series/);
});

test('a bad point throws a DataError naming its field, and changes nothing', async () => {
  const s = createStreamScorer({ detector: 'rolling-z', options: { window: 5 }, threshold: { kind: 'value', value: 3 }, warmup: 3, maxSeries: 2 });
  for (const p of points(10, { keys: ['a', 'b'], channels: ['cpu', 'mem'] })) await s.push(p);
  const before = JSON.stringify(s.toJSON());
  const t = 1_764_583_200_000 + 10 * 60_000;
  for (const [p, msg] of [
    [{ t, key: 'a', values: { cpu: 1 } }, /values\.mem: missing/],
    [{ t, key: 'a', values: { cpu: 1, mem: NaN } }, /values\.mem: .* not a finite number/],
    [{ t, key: 'a', values: { cpu: 1, mem: Infinity } }, /values\.mem/],
    [{ t, key: 'a', values: { cpu: 1, mem: '2' } }, /values\.mem: "2" is not a finite number/],
    [{ t, key: 'a', values: { cpu: 1, mem: 2, disk: 3 } }, /values\.disk: not a channel/],
    [{ t: 0, key: 'a', values: { cpu: 1, mem: 2 } }, /^t: 0 is before the previous time .* of key 'a'/],
    [{ t: Number.NaN, key: 'a', values: { cpu: 1, mem: 2 } }, /^t: /],
    [{ t: '2026-12-01', key: 'a', values: { cpu: 1, mem: 2 } }, /^t: /],
    [{ t, key: 7, values: { cpu: 1, mem: 2 } }, /^key: /],
    [{ t, key: 'c', values: { cpu: 1, mem: 2 } }, /at most 2/],
    [{ t, key: 'a' }, /^values: /],
    [null, /object/],
  ] as const) {
    await assert.rejects(s.push(p as unknown as ScorerPoint), (e: unknown) => e instanceof DataError && msg.test(e.message), JSON.stringify(p));
    assert.equal(JSON.stringify(s.toJSON()), before, `state unchanged after ${JSON.stringify(p)}`);
  }
  const ok = await s.push({ t, key: 'a', values: { mem: 2, cpu: 1 } });
  assert.equal(ok.key, 'a');
  assert.equal(s.seriesCount, 2);
});

test('pushes are served in order without awaiting each; a bad one in between leaves the rest', async () => {
  const spec = { detector: 'ewma', threshold: { kind: 'value', value: 4 }, warmup: 10 };
  const ps = points(100);
  const awaited = await pushAll(createStreamScorer(spec), ps);
  const s = createStreamScorer(spec);
  const fired = ps.map((p) => s.push(p));
  const bad = s.push({ t: 0, values: { value: 1 } });
  const many = s.pushMany(points(3).map((p, i) => ({ ...p, t: p.t + 1e9 + i })));
  assert.deepEqual(await Promise.all(fired), awaited);
  await assert.rejects(bad, DataError);
  assert.equal((await many).length, 3);
  await s.settle();
  assert.equal(s.toJSON().series[0]!.lastT, ps[2]!.t + 1e9 + 2);
});

test('pushMany scores a batch whole or not at all: a bad point anywhere leaves the state as it was', async () => {
  const spec = { detector: 'rolling-z', options: { window: 5 }, threshold: { kind: 'value', value: 3 }, warmup: 3, maxSeries: 2 };
  const ps = points(40, { keys: ['a', 'b'] });
  const s = createStreamScorer(spec);
  await s.pushMany(ps.slice(0, 20));
  const before = JSON.stringify(s.toJSON());
  for (const [bad, msg] of [
    [{ ...ps[25]!, values: { value: Number.NaN } }, /^points\[5\]: values\.value/],
    [{ ...ps[25]!, t: ps[21]!.t - 1 }, /^points\[5\]: t: .* of key 'b'/],
    [{ ...ps[25]!, key: 'c' }, /^points\[5\]: key: .*at most 2/],
  ] as const) {
    const batch = [...ps.slice(20, 25), bad, ...ps.slice(26)];
    await assert.rejects(s.pushMany(batch), (e: unknown) => e instanceof DataError && msg.test(e.message), JSON.stringify(bad));
    assert.equal(JSON.stringify(s.toJSON()), before);
  }
  await assert.rejects(s.pushMany([ps[20]!, { ...ps[22]!, t: ps[20]!.t - 1, key: 'a' }]), /points\[1\]: t: /, 'order is checked within the batch too');
  const whole = await s.pushMany(ps.slice(20));
  const straight = createStreamScorer(spec);
  assert.deepEqual([...(await straight.pushMany(ps.slice(0, 20))), ...whole], await pushAll(createStreamScorer(spec), ps));
});

test('a threshold that cannot calibrate on the warm-up scores stops the scorer with one OptionsError', async () => {
  const s = createStreamScorer({ detector: 'rolling-z', options: { window: 5 }, warmup: 500 });
  for (let i = 0; i < 500; i++) await s.push({ t: i, values: { value: 1 } });
  await assert.rejects(s.push({ t: 500, values: { value: 1 } }), (e: unknown) => e instanceof OptionsError && /pot: /.test(e.message));
});
