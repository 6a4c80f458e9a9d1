import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import type { RawTable } from '../data/table.js';
import { Model } from './model.js';
import { SeriesModel } from './series-model.js';

/** Two hosts, two channels, a sine plus noise; host a has a spike at step 250. */
function table(steps = 300, seed = 1): RawTable {
  const rng = new Rng(seed);
  const rows: (string | null)[][] = [];
  for (let i = 0; i < steps; i++) {
    for (const h of ['a', 'b']) {
      const spike = h === 'a' && i === 250 ? 8 : 0;
      rows.push([String(1_000 + i * 60), h, (Math.sin(i / 8) + 0.1 * rng.normal() + spike).toFixed(5), rng.normal().toFixed(5)]);
    }
  }
  return { header: ['ts', 'host', 'cpu', 'mem'], rows, source: 'test' };
}

test('SeriesModel fits one detector and cutoff per series id and flags the spike', async () => {
  const m = await SeriesModel.fit(table(), { detector: 'rolling-z', options: { window: 20 }, timestamp: 'ts', seriesId: 'host', threshold: { kind: 'contamination', rate: 0.01 } });
  assert.deepEqual(m.entries.map((e) => e.id), ['a', 'b']);
  assert.deepEqual(m.channels, ['cpu', 'mem']);
  assert.equal(m.entries[0]!.interval, 60);
  const [a, b] = await m.score(table());
  assert.equal(a!.series.id, 'a');
  assert.equal(a!.anomaly[250], 1);
  assert.equal(a!.scores.channels.cols, 2);
  assert.ok(a!.scores.channels.data[250 * 2]! > a!.scores.channels.data[250 * 2 + 1]!, 'the cpu channel is behind the spike');
  assert.equal(b!.anomaly.slice(0, 20).reduce((n, v) => n + v, 0), 0, 'warm-up steps are never flagged');
  assert.throws(() => m.entry('c'), (e: unknown) => e instanceof DataError && /no model for series 'c'.*host = a, b/.test(e.message));
});

test('SeriesModel: the default threshold is peaks over threshold; bad specs and short series are named errors', async () => {
  const m = await SeriesModel.fit(table(), { detector: 'ewma', seriesId: 'host' });
  assert.equal(m.threshold.kind, 'pot');
  assert.equal(m.timestamp, 'ts', 'found by name');
  await assert.rejects(SeriesModel.fit(table(), { detector: 'zscore' }), OptionsError);
  await assert.rejects(SeriesModel.fit(table(), { detector: 'rolling-z', options: { windw: 3 } }), OptionsError);
  await assert.rejects(SeriesModel.fit(table(10), { detector: 'rolling-z', seriesId: 'host' }), /series 'a': rolling-z fit needs at least 101 steps/);
  await assert.rejects(SeriesModel.fit(table(), { detector: 'rolling-z' }), /column 'host'.*series id/);
});

test('SeriesModel: saved, loaded in a new process, scores identically; the two model kinds refuse each other', async () => {
  const m = await SeriesModel.fit(table(), { detector: 'rolling-mad', options: { window: 15 }, seriesId: 'host', threshold: { kind: 'contamination', rate: 0.02 } });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-series-model-'));
  const file = join(dir, 'm.vigil');
  writeFileSync(file, m.toBytes());
  const t = table(120, 7);
  writeFileSync(join(dir, 't.json'), JSON.stringify(t));
  const here = fileURLToPath(new URL('./series-model.js', import.meta.url));
  const script = `
    import { readFileSync } from 'node:fs';
    import { SeriesModel } from ${JSON.stringify(here)};
    const m = SeriesModel.fromBytes(new Uint8Array(readFileSync(${JSON.stringify(file)})));
    const out = (await m.score(JSON.parse(readFileSync(${JSON.stringify(join(dir, 't.json'))}, 'utf8')))).map((s) => ({ id: s.series.id, score: [...s.scores.score], cutoff: s.cutoff }));
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const loaded = JSON.parse(r.stdout) as { id: string; score: number[]; cutoff: number }[];
  const mine = await m.score(t);
  assert.deepEqual(loaded.map((s) => s.id), ['a', 'b']);
  for (let k = 0; k < 2; k++) {
    assert.deepEqual(loaded[k]!.score, [...mine[k]!.scores.score]);
    assert.equal(loaded[k]!.cutoff, mine[k]!.cutoff);
  }
  assert.throws(() => Model.fromBytes(m.toBytes()), (e: unknown) => e instanceof FormatError && /series model file, not a tabular model/.test(e.message));
  const tabular = await Model.fit(
    { rows: 30, columns: [{ name: 'x', kind: 'numeric', values: Float64Array.from({ length: 30 }, (_, i) => i % 7) }] },
    { detector: 'zscore' },
  );
  assert.throws(() => SeriesModel.fromBytes(tabular.toBytes()), (e: unknown) => e instanceof FormatError && /tabular model file, not a series model/.test(e.message));
  assert.equal(Model.fromBytes(tabular.toBytes()).detector.name, 'zscore', 'tabular files load unchanged');
});
