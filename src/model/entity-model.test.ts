import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from './model.js';
import { DataError, OptionsError } from '../core/errors.js';
import { selectFrameRows, type Frame } from '../data/frame.js';
import { averagePrecision } from '../evaluate/metrics.js';
import { cardTransactions } from '../testing/transactions.js';

const rows = (f: Frame, from: number, to: number): Frame => selectFrameRows(f, Array.from({ length: to - from }, (_, k) => from + k));
const entity = { keys: ['card'], time: 'ts', windows: ['1h', '24h'] };

test('an entity model: keys and time are not features, the column report says what they were', async () => {
  const { frame } = cardTransactions({ seed: 3, cards: 40, days: 3 });
  const m = await Model.fit(frame, { detector: 'iforest', options: { seed: 1 }, entity });
  const names = m.preprocessor.featureNames;
  assert.ok(!names.includes('card') && !names.includes('ts'));
  assert.ok(names.includes('card.1h.count') && names.includes('card.24h.mean.amount') && names.includes('card.z.amount') && names.includes('card.since_prev'));
  const roles = new Map(m.record.report!.columns.map((c) => [c.name, c]));
  assert.equal(roles.get('card')!.role, 'entity');
  assert.equal(roles.get('ts')!.role, 'timestamp');
  assert.match(roles.get('card.1h.count')!.reason ?? '', /per-card feature/);
  // Scoring reads the raw columns, the keys and time among them.
  assert.deepEqual(m.columns.map((c) => c.name), ['card', 'ts', 'amount', 'hour']);
});

test('fit on A then score B equals scoring B through the saved file, and scoring does not move the state', async () => {
  const { frame } = cardTransactions({ seed: 4, cards: 40, days: 4 });
  const cut = Math.floor(frame.rows * 0.6);
  const A = rows(frame, 0, cut);
  const B = rows(frame, cut, frame.rows);
  const m = await Model.fit(A, { detector: 'iforest', options: { seed: 2 }, entity });
  const direct = await m.score(B);
  const again = await m.score(B);
  assert.deepEqual([...again], [...direct], 'score leaves the entity state as it was');
  const loaded = Model.fromBytes(m.toBytes());
  assert.deepEqual([...(await loaded.score(B))], [...direct]);
  // Features of B computed in one pass with A before them are the features scoring B gives.
  const B1 = rows(B, 0, 100);
  const B2 = rows(B, 100, B.rows);
  loaded.advance(B1);
  const split = await loaded.score(B2);
  assert.deepEqual([...split], [...direct.slice(100)]);
  const reloaded = Model.fromBytes(loaded.toBytes());
  assert.deepEqual([...(await reloaded.score(B2))], [...direct.slice(100)]);
  // Rows before what the state has seen cannot be scored.
  await assert.rejects(reloaded.score(B1), (e: Error) => e instanceof DataError && /entity features need rows in time order/.test(e.message));
});

test('entity spec errors are named errors', async () => {
  const { frame } = cardTransactions({ seed: 5, cards: 10, days: 1 });
  await assert.rejects(Model.fit(frame, { detector: 'iforest', entity: { ...entity, windows: ['1x'] } }), OptionsError);
  await assert.rejects(Model.fit(frame, { detector: 'iforest', entity: { ...entity, keys: ['customer'] } }), (e: Error) => e instanceof DataError && /'customer' is not in the data/.test(e.message));
});

test('entity features raise iforest PR-AUC on bursts from one card, for several seeds', async () => {
  const gains: string[] = [];
  for (const seed of [1, 2, 3, 4]) {
    // Fit on the first half of the days, score the second half (later rows, as in use).
    const { frame, labels } = cardTransactions({ seed, bursts: 16 });
    const ts = frame.columns.find((c) => c.name === 'ts')!.values as Float64Array;
    const cut = ts.findIndex((t) => t >= 3 * 86_400);
    const train = rows(frame, 0, cut);
    const test = rows(frame, cut, frame.rows);
    const y = labels.slice(cut);
    assert.ok(y.some((v) => v === 1));
    const plain = await Model.fit(train, { detector: 'iforest', options: { seed } });
    const withEntity = await Model.fit(train, { detector: 'iforest', options: { seed }, entity });
    const before = averagePrecision(y, await plain.score(test));
    const after = averagePrecision(y, await withEntity.score(test));
    gains.push(`${seed}: ${before.toFixed(3)} -> ${after.toFixed(3)}`);
    assert.ok(after > before + 0.3, `seed ${seed}: PR-AUC ${before} -> ${after}`);
  }
  console.log(`PR-AUC without -> with entity features: ${gains.join('; ')}`);
});
