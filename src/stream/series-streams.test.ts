import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { seriesRollingZ } from '../detectors/series/baselines/rolling.js';
import { SeriesModel } from '../model/series-model.js';
import { PageHinkley } from './drift/page-hinkley.js';
import { KeyedStreams } from './keyed.js';
import { LearningStream } from './learning.js';
import { seriesModelStream } from './model-stream.js';

const noise = (rng: Rng, n: number, shiftAt = Infinity): number[] => Array.from({ length: n }, (_, i) => rng.normal() + (i >= shiftAt ? 5 : 0));

test('LearningStream: unscored through the warm-up, then fitted in the background and scoring', async () => {
  const s = new LearningStream({ create: () => seriesRollingZ({ window: 10 }), threshold: { kind: 'value', value: 4 }, warmup: 50, buffer: 100, drift: null });
  const values = noise(new Rng(3), 60);
  const first = [];
  for (const v of values.slice(0, 50)) first.push(await s.update(Float64Array.of(v)));
  assert.ok(first.every((r) => !r.warm && r.score === 0));
  assert.deepEqual(first[49]!.events, [{ type: 'fit-started', points: 50 }]);
  await s.settled();
  const next = await s.update(Float64Array.of(values[50]!));
  assert.deepEqual(next.events, [{ type: 'fitted' }]);
  assert.equal(next.warm, true, 'the buffered points give the new model its context at once');
  assert.ok(next.score > 0);
  assert.equal(next.threshold, 4);
  const spike = await s.update(Float64Array.of(40));
  assert.equal(spike.anomaly, true);
  assert.ok(s.refitStream!.buffered <= 100);
});

test('a saved series model streams with its cutoff; a mean shift drifts, refits and swaps', async () => {
  const rng = new Rng(5);
  const train = { header: ['t', 'v'], rows: noise(rng, 400).map((v, i) => [String(i), String(v)]) };
  const model = await SeriesModel.fit(train, { detector: 'rolling-z', options: { window: 30 }, timestamp: 't', threshold: { kind: 'contamination', rate: 0.01 } });
  const s = seriesModelStream(model, null, { drift: () => new PageHinkley(), driftOn: 'input', buffer: 200, refitAfter: 100 });
  const events: { i: number; type: string }[] = [];
  const values = noise(rng, 1200, 500);
  let threshold = NaN;
  for (let i = 0; i < values.length; i++) {
    const r = await s.update(Float64Array.of(values[i]!));
    if (i === 100) threshold = r.threshold;
    for (const e of r.events) events.push({ i, type: e.type });
    if (r.events.some((e) => e.type === 'refit-started')) await s.settled();
  }
  assert.equal(threshold, model.entries[0]!.cutoff, 'generation 0 judges by the saved cutoff');
  const drift = events.find((e) => e.type === 'drift');
  assert.ok(drift && drift.i >= 500, `drift at ${drift?.i}`);
  const swapped = events.find((e) => e.type === 'swapped');
  assert.ok(swapped && swapped.i > drift.i, JSON.stringify(events));
});

test('KeyedStreams makes one stream per id and caps their number', () => {
  let made = 0;
  const k = new KeyedStreams((id) => ({ id, n: ++made }), 2);
  assert.equal(k.get('a'), k.get('a'));
  k.get('b');
  assert.throws(() => k.get('c'), (e: unknown) => e instanceof DataError && /at most 2/.test(e.message));
  assert.equal(k.size, 2);
  assert.equal(made, 2);
});
