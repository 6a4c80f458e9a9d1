import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../core/random.js';
import { decode, encode } from '../persist/container.js';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-calibrated-'));
const p = (name: string): string => join(dir, name);

function vigil(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function csv(path: string, rows: number, seed: number, anomalies: number): void {
  const rng = new Rng(seed);
  const lines = ['ts,a,b,label'];
  for (let i = 0; i < rows; i++) {
    const y = i % Math.floor(rows / anomalies) === 0 ? 1 : 0;
    const ts = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    lines.push([ts, rng.normal() + 5 * y, rng.normal() - 5 * y, y].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

function table(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split('\n');
  const names = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, j) => [names[j]!, v])));
}

before(() => {
  csv(p('train.csv'), 2880, 1, 20);
  csv(p('test.csv'), 1440, 2, 10);
});

test('fit --alert-rate, score --calibrated: p_value and calibrated columns, the threshold where p falls below the rate', () => {
  const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'ecod', '--ignore', 'label', '--alert-rate', '1e-3', '--out', p('m.vigil'));
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.out, /calibrated p-value below 0\.001/);
  const score = vigil('score', '--model', p('m.vigil'), '--data', p('test.csv'), '--calibrated');
  assert.equal(score.code, 0, score.err);
  const rows = table(score.out);
  assert.deepEqual(Object.keys(rows[0]!), ['row', 'score', 'is_anomaly', 'p_value', 'calibrated']);
  for (const r of rows) {
    const pv = Number(r['p_value']);
    assert.ok(pv > 0 && pv <= 1);
    assert.ok(Math.abs(Number(r['calibrated']) - (1 - pv)) < 1e-12);
    assert.equal(r['is_anomaly'] === '1', pv < 1e-3 * (1 + 1e-9), `row ${r['row']}: p ${pv}, anomaly ${r['is_anomaly']}`);
  }
  const bySore = [...rows].sort((x, y) => Number(x['score']) - Number(y['score']));
  for (let i = 1; i < bySore.length; i++) assert.ok(Number(bySore[i]!['p_value']) <= Number(bySore[i - 1]!['p_value']));
});

test('fit --cost-fn --cost-fp with --label chooses on held-back rows or --validation and reports recall and alerts/day', () => {
  const fit = vigil('fit', '--data', p('train.csv'), '--detector', 'ecod', '--label', 'label', '--cost-fn', '500', '--cost-fp', '5', '--out', p('c.vigil'));
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.out, /least cost, 500 per missed anomaly and 5 per false alarm/);
  assert.match(fit.out, /at the threshold: \d+ alerts in 576 holdout rows, expected [\d.]+ alerts\/day, expected recall [\d.]+/);
  const val = vigil('fit', '--data', p('train.csv'), '--detector', 'ecod', '--label', 'label', '--cost-fn', '500', '--cost-fp', '5', '--validation', p('test.csv'), '--out', p('v.vigil'));
  assert.equal(val.code, 0, val.err);
  assert.match(val.out, /in 1440 validation rows, expected [\d.]+ alerts\/day, expected recall 1\.000, .*cost \d+ \(0 missed/);
});

test('fit --budget n/day or n/hour, from the timestamps or --rows-per-day', () => {
  const day = vigil('fit', '--data', p('train.csv'), '--detector', 'ecod', '--ignore', 'label', '--budget', '10/day', '--out', p('b.vigil'));
  assert.equal(day.code, 0, day.err);
  const perDay = Number(/expected ([\d.]+) alerts\/day/.exec(day.out)?.[1]);
  assert.ok(perDay <= 10.01 && perDay > 9, day.out);
  const hour = vigil('fit', '--data', p('train.csv'), '--detector', 'ecod', '--ignore', 'label,ts', '--budget', '1/hour', '--rows-per-day', '1440', '--out', p('h.vigil'));
  assert.equal(hour.code, 0, hour.err);
  assert.match(hour.out, /alert budget 24\/day/);
  assert.match(hour.out, /48 alerts in 2880 training rows, expected 24\.0 alerts\/day/);
});

test('bad threshold flags and a model without calibration are one-line errors with exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['--cost-fn', '500'], /give --cost-fn and --cost-fp together/],
    [['--budget', 'lots'], /--budget must be alerts per day or hour/],
    [['--alert-rate', '2'], /--alert-rate must be a probability/],
    [['--alert-rate', '1e-3', '--contamination', '0.1'], /give only one of --contamination, --alert-rate/],
    [['--cost-fn', '5', '--cost-fp', '1'], /labelled rows/],
    [['--ignore', 'label,ts', '--budget', '5/day'], /time span of the data/],
  ];
  for (const [flags, want] of cases) {
    const r = vigil('fit', '--data', p('train.csv'), '--detector', 'ecod', ...(flags.includes('--ignore') ? [] : ['--ignore', 'label']), ...flags, '--out', p('x.vigil'));
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.err}`);
    assert.match(r.err, want);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  const { manifest, arrays } = decode(readFileSync(p('m.vigil')));
  delete manifest['calibration'];
  writeFileSync(p('old.vigil'), encode({ manifest, arrays }));
  const old = vigil('score', '--model', p('old.vigil'), '--data', p('test.csv'), '--calibrated');
  assert.equal(old.code, 2);
  assert.match(old.err, /^vigil: this model has no calibrated scores/);
  assert.equal(old.out, '');
});

test('a series model scores with --calibrated too', () => {
  const rng = new Rng(3);
  writeFileSync(p('s.csv'), 't,v\n' + Array.from({ length: 400 }, (_, i) => `${i},${rng.normal().toFixed(4)}`).join('\n') + '\n');
  const fit = vigil('fit', '--data', p('s.csv'), '--detector', 'seasonal', '--set', 'period=1', '--timestamp', 't', '--alert-rate', '1e-3', '--out', p('s.vigil'));
  assert.equal(fit.code, 0, fit.err);
  const score = vigil('score', '--model', p('s.vigil'), '--data', p('s.csv'), '--calibrated');
  assert.equal(score.code, 0, score.err);
  const rows = table(score.out);
  assert.deepEqual(Object.keys(rows[0]!), ['t', 'score', 'is_anomaly', 'p_value', 'calibrated']);
  const p50 = rows.map((r) => Number(r['p_value'])).filter(Number.isFinite).sort((a, b) => a - b)[Math.floor(rows.length / 2)]!;
  assert.ok(p50 > 0.4 && p50 < 0.6, `median p on the training series ${p50}`);
});
