import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { scratch, vigil } from './harness.js';
import { cardTransactions } from '../testing/transactions.js';
import { Model } from '../model/model.js';
import { loadModel } from '../persist/file.js';
import { frameFromCsv } from '../data/text-frames.js';
import { readFileSync } from 'node:fs';

const p = scratch('vigil-entity-');

/** Card payments as CSV, ts as ISO times; the first `cut` rows to train.csv, the rest to test.csv. */
function writeData(): { cut: number; rows: number } {
  const { frame, labels } = cardTransactions({ seed: 7, cards: 30, days: 4, bursts: 6 });
  const col = (n: string) => frame.columns.find((c) => c.name === n)!.values;
  const card = col('card') as (string | null)[];
  const ts = col('ts') as Float64Array;
  const amount = col('amount') as Float64Array;
  const lines = Array.from({ length: frame.rows }, (_, i) => `${card[i]},${new Date(Date.UTC(2026, 0, 1) + ts[i]! * 1000).toISOString()},${amount[i]},ip${i % 5},${labels[i]}`);
  const cut = Math.floor(frame.rows / 2);
  const header = 'card,ts,amount,ip,label';
  writeFileSync(p('train.csv'), [header, ...lines.slice(0, cut)].join('\n') + '\n');
  writeFileSync(p('test.csv'), [header, ...lines.slice(cut)].join('\n') + '\n');
  writeFileSync(p('all.csv'), [header, ...lines].join('\n') + '\n');
  return { cut, rows: frame.rows };
}

test('vigil fit --entity --time --window, then vigil score streams through the saved state', async () => {
  const { cut, rows } = writeData();
  const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'iforest', '--set', 'seed=3', '--label', 'label', '--entity', 'card,ip', '--time', 'ts', '--window', '1h,24h', '--entity-distinct', 'ip', '--out', p('m.vigil'));
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.out, /entity key, not a feature\s+card, ip/);
  assert.match(fit.out, /timestamp, not a feature\s+ts \(the entity features' time\)/);
  assert.match(fit.out, /per-card feature from earlier rows/);
  const model = await loadModel(p('m.vigil'));
  assert.ok(model.preprocessor.featureNames.includes('card.1h.distinct.ip'));
  assert.ok(!model.preprocessor.featureNames.includes('card'));
  // Streaming the test file in small pieces gives what one library call on it gives.
  const sc = vigil('score', '--model', p('m.vigil'), '--data', p('test.csv'));
  assert.equal(sc.code, 0, sc.err);
  const cliScores = sc.out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  assert.equal(cliScores.length, rows - cut);
  const test = await frameFromCsv(readFileSync(p('test.csv'), 'utf8'));
  const lib = await model.score({ rows: test.rows, columns: test.columns.filter((c) => c.name !== 'label') });
  assert.deepEqual(cliScores, [...lib]);
  // The training file is before the model's clock: each row says so, and nothing is scored.
  const again = vigil('score', '--model', p('m.vigil'), '--data', p('train.csv'), '--strict');
  assert.equal(again.code, 2);
  assert.match(again.err, /^vigil: .*train\.csv: row 1: time .* is earlier than the latest row the model has seen .*in time order\n$/);
});

test('vigil score: a row out of time order is a bad row, skipped with a line or stopping --strict', async () => {
  writeData();
  const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'iforest', '--ignore', 'label', '--entity', 'card', '--time', 'ts', '--out', p('m2.vigil'));
  assert.equal(fit.code, 0, fit.err);
  const lines = readFileSync(p('test.csv'), 'utf8').trim().split('\n');
  [lines[3], lines[4]] = [lines[4]!, lines[3]!];
  writeFileSync(p('swapped.csv'), lines.join('\n') + '\n');
  const sc = vigil('score', '--model', p('m2.vigil'), '--data', p('swapped.csv'));
  assert.equal(sc.code, 0, sc.err);
  assert.match(sc.err, /row 4: time .* is earlier than an earlier row of this file .*; skipped/);
  assert.equal(sc.out.trim().split('\n').length, lines.length - 1);
  const strict = vigil('score', '--model', p('m2.vigil'), '--data', p('swapped.csv'), '--strict');
  assert.equal(strict.code, 2);
});

test('vigil fit --entity: clear one-line errors for an unknown column, a bad window, a non-time column', () => {
  writeData();
  const base = ['fit', '--data', p('train.csv'), '--detector', 'iforest', '--ignore', 'label', '--out', p('bad.vigil')];
  const cases: [string[], RegExp][] = [
    [['--entity', 'customer', '--time', 'ts'], /^vigil: entity key column 'customer' is not in the data \(columns: card, ts, amount, ip\)\n$/],
    [['--entity', 'card', '--time', 'ts', '--window', '1h,1x'], /^vigil: --window: '1x' is not a duration: use a positive number and a unit s, m, h, d or w, e\.g\. 1h, 24h, 7d\n$/],
    [['--entity', 'card', '--time', 'ip'], /^vigil: entity time column 'ip' is not a time column: it holds text/],
    [['--entity', 'card'], /^vigil: --entity needs --time <column>/],
    [['--time', 'ts'], /^vigil: --time needs --entity <key columns>\n$/],
    [['--entity', 'card', '--time', 'ts', '--entity-values', 'ip'], /^vigil: entity value column 'ip' is not numeric\n$/],
    [['--entity', 'label', '--time', 'ts'], /^vigil: 'label' is left out by --ignore, --label or --id but the entity features read it\n$/],
  ];
  for (const [args, want] of cases) {
    const r = vigil(...base, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, want, args.join(' '));
  }
});

test('library and CLI agree: the model file carries the state a fit on the same rows has', async () => {
  writeData();
  const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'iforest', '--set', 'seed=1', '--ignore', 'label', '--entity', 'card', '--time', 'ts', '--window', '30m,1d', '--out', p('m3.vigil'));
  assert.equal(fit.code, 0, fit.err);
  const train = await frameFromCsv(readFileSync(p('train.csv'), 'utf8'));
  const lib = await Model.fit({ rows: train.rows, columns: train.columns.filter((c) => c.name !== 'label') }, { detector: 'iforest', options: { seed: 1 }, entity: { keys: ['card'], time: 'ts', windows: ['30m', '1d'] } });
  const saved = await loadModel(p('m3.vigil'));
  assert.equal(saved.entity!.rowsSeen, train.rows);
  assert.equal(saved.entity!.clock, lib.entity!.clock);
  assert.deepEqual([...saved.entity!.entities[0]!.keys()], [...lib.entity!.entities[0]!.keys()]);
});
