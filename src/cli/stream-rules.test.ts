/**
 * `vigil stream` as a user types it, one test per class of input problem (issue 14, section 2):
 * it reads what `fit` reads, a set-up problem is one error at set-up, a run that scores nothing
 * fails, and its scores are the core scorer's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../core/random.js';
import { TIMESTAMP_NAMES } from '../data/series.js';
import { parseTimestamp } from '../data/values.js';
import { createStreamScorer, type ScorerPoint } from '../stream/index.js';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-stream-rules-'));

function vigil(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const results = (stdout: string): Record<string, unknown>[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A minute series with a wave, noise and one spike at `spikeAt`. */
function series(n: number, seed = 1, spikeAt = Math.floor(n * 0.8)): { t: string; v: number }[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    t: new Date(Date.UTC(2026, 11, 1) + i * 60_000).toISOString(),
    v: Number((Math.sin(i / 12) + 0.2 * rng.normal() + (i === spikeAt ? 9 : 0)).toFixed(4)),
  }));
}

const csv = (rows: { t: string; v: number }[], header = 'timestamp,value', sep = ','): string => [header, ...rows.map((r) => `${r.t}${sep}${r.v}`)].join('\n') + '\n';

test('an ordinary timestamp,value CSV: stream finds the timestamp by name as fit does, for every name fit knows', () => {
  const rows = series(300);
  for (const name of [...TIMESTAMP_NAMES, 'Timestamp', ' TIME ']) {
    const input = csv(rows, `${name},value`);
    const path = join(dir, 'named.csv');
    writeFileSync(path, input);
    const fit = vigil(['fit', '--data', path, '--detector', 'rolling-z', '--set', 'window=30', '--out', join(dir, 'named.vigil')]);
    assert.equal(fit.status, 0, `fit with '${name}': ${fit.stderr}`);
    const r = vigil(['stream', '--detector', 'rolling-z', '--set', 'window=30', '--threshold', '5', '--warmup', '30'], input);
    assert.equal(r.status, 0, `stream with '${name}': ${r.stderr}`);
    assert.equal(r.stderr, '');
    const out = results(r.stdout);
    assert.equal(out.length, 300, name);
    assert.deepEqual(out.map((o) => o['t']), rows.map((x) => x.t), 'the timestamp is the time, not a value');
    assert.deepEqual(out.flatMap((o, i) => (o['anomaly'] ? [i] : [])), [240]);
  }
});

test('the same CSV with CRLF line ends, a byte-order mark, quotes or another delimiter reads the same', () => {
  const rows = series(200);
  const plain = vigil(['stream', '--detector', 'ewma', '--threshold', '4', '--warmup', '20'], csv(rows));
  assert.equal(plain.status, 0, plain.stderr);
  for (const [what, input] of [
    ['CRLF', csv(rows).replace(/\n/g, '\r\n')],
    ['BOM', '\uFEFF' + csv(rows)],
    ['quoted', ['"timestamp","value"', ...rows.map((r) => `"${r.t}","${r.v}"`)].join('\n') + '\n'],
    ['semicolons', csv(rows, 'timestamp;value', ';')],
    ['tabs and blank lines', '\n' + csv(rows, 'timestamp\tvalue', '\t').replace(/\n/g, '\n\n')],
  ] as const) {
    const r = vigil(['stream', '--detector', 'ewma', '--threshold', '4', '--warmup', '20'], input);
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.equal(r.stderr, '', what);
    assert.equal(r.stdout, plain.stdout, what);
  }
});

test('one stray first line is one bad line; the JSON records after it are all scored', () => {
  const records = series(50).map((r) => JSON.stringify({ time: r.t, v: r.v }));
  for (const stray of ['starting monitor...', '"v":0.3}', 'time,v']) {
    const r = vigil(['stream', '--detector', 'ewma', '--threshold', '4', '--warmup', '5'], [stray, ...records].join('\n') + '\n');
    assert.equal(r.status, 0, `${stray}: ${r.stderr}`);
    assert.equal(results(r.stdout).length, 50, stray);
    assert.equal(r.stderr, 'vigil: line 1: not a JSON object; skipped\n', stray);
  }
  const cut = vigil(['stream', '--detector', 'ewma', '--threshold', '4', '--warmup', '5'], ['{"time":"2026-12-01T00:00:00Z","v":', ...records].join('\n') + '\n');
  assert.equal(results(cut.stdout).length, 50, cut.stderr);
  assert.equal(cut.stderr, 'vigil: line 1: not a JSON object; skipped\n');
});

test('one stray first line before a CSV header is one bad line; the rows after it are all scored', () => {
  const rows = series(50);
  for (const stray of ['# exported by sensor-7', 'starting monitor...']) {
    const r = vigil(['stream', '--detector', 'ewma', '--threshold', '4', '--warmup', '5'], stray + '\n' + csv(rows));
    assert.equal(r.status, 0, `${stray}: ${r.stderr}`);
    assert.deepEqual(results(r.stdout).map((o) => o['t']), rows.map((x) => x.t), stray);
    assert.equal(r.stderr, 'vigil: line 1: not a CSV header (one cell, the next line has 2); skipped\n', stray);
  }
  const single = vigil(['stream', '--detector', 'ewma', '--threshold', '4', '--warmup', '5'], 'v\n1\n2\n3\n');
  assert.equal(results(single.stdout).length, 3, 'a one-column CSV is still a CSV');
});

test('a set-up problem is one error before any input is read, exit 2, however long the input', () => {
  const input = csv(series(3000));
  for (const [args, msg] of [
    [['--detector', 'ewma', '--warmup', '300'], /^vigil: warmup 300 is too short for the default SPOT threshold.*500/],
    [['--detector', 'rolling-mad', '--risk', '1e-3', '--warmup', '100'], /^vigil: warmup 100 is too short for the SPOT threshold/],
    [['--detector', 'ewma', '--risk', '0.5'], /^vigil: risk q must be below 0\.02/],
    [['--detector', 'ewma', '--set', 'windw=5'], /^vigil: ewma: unknown option 'windw'/],
    [['--detector', 'rolling-z', '--set', 'window=x'], /^vigil: window must be a number/],
    [['--detector', 'artime', '--risk', '1e-3'], /^vigil: artime: .*fixed threshold/],
    [['--detector', 'nope'], /^vigil: unknown stream detector 'nope'/],
    [['--detector', 'seasonal', '--warmup', '1'], /^vigil: warmup must be a whole number >= 2/],
    [['--detector', 'ewma', '--drift', 'adwin', '--drift-set', 'delta=big'], /^vigil: adwin: delta must be a number/],
  ] as const) {
    const r = vigil(['stream', ...args], input);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line, got ${r.stderr.slice(0, 300)}`);
    assert.equal(r.stdout, '');
  }
  const spot = vigil(['stream', '--detector', 'ewma', '--warmup', '500'], input);
  assert.equal(spot.status, 0, spot.stderr);
  assert.equal(results(spot.stdout).filter((o) => o['threshold'] !== null).length, 2500, 'the shortest warm-up SPOT takes calibrates');
});

test('a threshold that fails to calibrate on the data stops the run with one error, not one per line', () => {
  const flat = ['timestamp,value', ...series(2000).map((r) => `${r.t},1`)].join('\n') + '\n';
  const r = vigil(['stream', '--detector', 'rolling-z', '--warmup', '600'], flat);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr.slice(0, 300));
  assert.match(r.stderr, /^vigil: pot: /);
  assert.equal(results(r.stdout).length, 600, 'the warm-up results were written before it');
});

test('a run that scores nothing exits 2 with one closing line: empty, header only, every line bad', () => {
  for (const [input, msg] of [
    ['', /^vigil: no input: standard input was empty$/],
    ['\n\n', /^vigil: no input/],
    ['timestamp,value\n', /^vigil: the input has a header \(timestamp, value\) but no data lines$/],
    ['timestamp,value\r\n', /^vigil: the input has a header \(timestamp, value\) but no data lines$/],
    ['timestamp,host,value\n2026-12-01T00:00:00Z,a,1\n2026-12-01T00:01:00Z,a,2\n', /^vigil: no line was scored: all 2 data lines were skipped \(the first: line 2: column 'host' is "a", not a number\)$/],
    ['{"v":"x"}\n', /^vigil: no line was scored: the one data line was skipped \(the first: line 1: column 'v' is "x", not a number\)$/],
  ] as const) {
    const r = vigil(['stream', '--detector', 'ewma', '--threshold', '3'], input);
    assert.equal(r.status, 2, JSON.stringify(input));
    assert.match(r.stderr.trim().split('\n').at(-1)!, msg);
    assert.equal(r.stdout, '');
  }
});

test("NDJSON in the service's point shape: a values object gives its channels; keyed by --series-id", () => {
  const rng = new Rng(3);
  const lines = Array.from({ length: 80 }, (_, i) => ({ t: 1_764_547_200_000 + i * 1000, key: `host-${i % 2}`, values: { cpu: Math.sin(i / 5) + 0.1 * rng.normal(), mem: 0.5 + 0.1 * rng.normal() + (i === 70 ? 5 : 0) } }));
  const r = vigil(['stream', '--detector', 'rolling-z', '--set', 'window=20', '--threshold', '6', '--warmup', '10', '--series-id', 'key', '--timestamp', 't'], lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  assert.equal(r.status, 0, r.stderr);
  const out = results(r.stdout);
  assert.equal(out.length, 80);
  assert.deepEqual(Object.keys(out[50]!), ['t', 'score', 'anomaly', 'threshold', 'key', 'channels']);
  assert.deepEqual(Object.keys(out[50]!['channels'] as object), ['cpu', 'mem']);
  assert.deepEqual(out.flatMap((o, i) => (o['anomaly'] ? [[i, o['key']]] : [])), [[70, 'host-0']]);
  const clash = vigil(['stream', '--detector', 'ewma', '--threshold', '3'], '{"cpu":1,"values":{"cpu":2}}\n{"values":{"cpu":2}}\n');
  assert.match(clash.stderr, /^vigil: line 1: field 'cpu' is given twice/);
  assert.equal(results(clash.stdout).length, 1);
});

test('vigil stream scores exactly as createStreamScorer does in-process on the same points', async () => {
  const rows = series(2100, 7);
  const keyed = rows.map((r, i) => ({ ...r, host: `h${i % 3}` }));
  const input = ['time,host,v', ...keyed.map((r) => `${r.t},${r.host},${r.v}`)].join('\n') + '\n';
  const points: ScorerPoint[] = keyed.map((r) => ({ t: parseTimestamp(r.t)!, key: r.host, values: { v: r.v } }));
  for (const [args, spec] of [
    [['--detector', 'rolling-mad', '--set', 'window=40', '--risk', '1e-3', '--warmup', '500', '--drift', 'adwin'], { detector: 'rolling-mad', options: { window: 40 }, threshold: { kind: 'risk', q: 1e-3 }, warmup: 500, drift: { kind: 'adwin' } }],
    [['--detector', 'htm', '--set', 'columns=256', '--set', 'cellsPerColumn=4', '--set', 'calibration=100', '--threshold', '0.5'], { detector: 'htm', options: { columns: 256, cellsPerColumn: 4, calibration: 100 }, threshold: { kind: 'value', value: 0.5 } }],
    [['--detector', 'seasonal', '--set', 'period=1', '--warmup', '100', '--threshold', '5', '--drift', 'page-hinkley'], { detector: 'seasonal', options: { period: 1 }, warmup: 100, threshold: { kind: 'value', value: 5 }, drift: { kind: 'page-hinkley' } }],
  ] as const) {
    const r = vigil(['stream', ...args, '--series-id', 'host'], input);
    assert.equal(r.status, 0, r.stderr);
    const cli = results(r.stdout);
    const scorer = createStreamScorer(spec);
    const inProcess = await scorer.pushMany(points);
    assert.equal(cli.length, inProcess.length);
    for (let i = 0; i < cli.length; i++) {
      const a = cli[i]!;
      const b = inProcess[i]!;
      assert.deepEqual([a['score'], a['anomaly'], a['threshold'], a['host']], [b.score, b.anomaly, b.threshold, b.key], `${spec.detector} point ${i}`);
    }
    assert.ok(inProcess.some((p) => !p.warmingUp), spec.detector);
  }
});
