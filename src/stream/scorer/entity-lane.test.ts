import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../model/model.js';
import { selectFrameRows, type Frame } from '../../data/frame.js';
import { cardTransactions } from '../../testing/transactions.js';
import { createStreamScorer, restoreStreamScorer, type ScorerPoint, type ScorerState } from './index.js';

const rows = (f: Frame, from: number, to: number): Frame => selectFrameRows(f, Array.from({ length: to - from }, (_, k) => from + k));

test('a stream scored by an entity model: keyed records get entity features continuing from the model, per stream, through checkpoints', async () => {
  const { frame } = cardTransactions({ seed: 11, cards: 25, days: 3, bursts: 4 });
  const cut = Math.floor(frame.rows * 0.6);
  const model = await Model.fit(rows(frame, 0, cut), { detector: 'iforest', options: { seed: 1 }, entity: { keys: ['card'], time: 'ts', windows: ['1h', '24h'] } });
  const test = rows(frame, cut, frame.rows);
  const want = await model.score(test);
  const col = (n: string) => test.columns.find((c) => c.name === n)!.values;
  const card = col('card') as (string | null)[];
  const ts = col('ts') as Float64Array;
  const amount = col('amount') as Float64Array;
  const hour = col('hour') as Float64Array;
  // The time column is left out: the point's own t (epoch ms) stands in for it.
  const points: ScorerPoint[] = Array.from({ length: test.rows }, (_, i) => ({ t: ts[i]! * 1000, values: { amount: amount[i]!, hour: hour[i]! }, fields: { card: card[i]! } }));
  const s = createStreamScorer({ detector: 'iforest' }, model);
  const half = Math.floor(points.length / 2);
  const first = await s.pushMany(points.slice(0, half));
  await s.settle();
  const restored = restoreStreamScorer(JSON.parse(JSON.stringify(s.toJSON())) as ScorerState, model);
  const second = await restored.pushMany(points.slice(half));
  const got = [...first, ...second].map((p) => p.score);
  assert.deepEqual(got, [...want]);
  // Another stream on the same model starts from the model's state, not from the first stream's.
  const other = createStreamScorer({ detector: 'iforest' }, model);
  assert.equal((await other.push(points[0]!)).score, want[0]);
  // The model itself did not move.
  assert.deepEqual([...(await model.score(test))], [...want]);
});
