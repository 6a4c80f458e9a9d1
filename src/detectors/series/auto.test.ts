import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { createSeriesDetector } from './registry.js';

function sine(steps: number, seed: number, spikeAt?: number) {
  const rng = new Rng(seed);
  const s = matrix(steps, 2);
  for (let i = 0; i < steps; i++) for (let c = 0; c < 2; c++) s.data[i * 2 + c] = Math.sin(i / 8 + c) + 0.1 * rng.normal();
  if (spikeAt !== undefined) s.data[spikeAt * 2] += 3;
  return s;
}

test('series-auto averages its members on one scale, says so, and finds a spike', async () => {
  const d = createSeriesDetector('series-auto');
  await d.fit(sine(400, 1));
  const c = d.choice!()!;
  assert.equal(c.method, 'ensemble');
  assert.deepEqual(c.members, ['seasonal', 'discord']);
  assert.match(c.reason, /^series, no labels read: the mean of seasonal, discord scores per step/);
  const { score, channels } = await d.score(sine(400, 2, 300));
  const top = score.indexOf(Math.max(...score));
  assert.ok(Math.abs(top - 300) <= 2, `top step ${top}`);
  assert.ok(channels.data[top * 2]! > channels.data[top * 2 + 1]!, 'the spiked channel carries the score');
});

test('series-auto state round-trips with its choice, and bad members are refused', async () => {
  const a = createSeriesDetector('series-auto');
  await a.fit(sine(300, 3));
  const b = createSeriesDetector('series-auto');
  b.setState(a.getState());
  assert.deepEqual(b.choice!(), a.choice!());
  const s = sine(300, 4, 250);
  assert.deepEqual((await b.score(s)).score, (await a.score(s)).score);
  assert.throws(() => createSeriesDetector('series-auto', { members: ['nope'] }), OptionsError);
  assert.throws(() => createSeriesDetector('series-auto', { members: ['series-auto'] }), OptionsError);
  assert.throws(() => createSeriesDetector('series-auto', { members: [] }), OptionsError);
});
