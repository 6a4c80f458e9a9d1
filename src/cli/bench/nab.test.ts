import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_TP, NAB_PROFILES, scaledSigmoid } from '../../evaluate/nab/index.js';

const BIN = fileURLToPath(new URL('../main.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'vigil-nab-'));
const nab = join(root, 'nab');
const scores = join(root, 'results', 'det');

function vigil(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const stamp = (i: number): string => new Date(Date.UTC(2020, 0, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);

function writeCsv(path: string, header: string, rows: number, cell: (i: number) => string): void {
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(`${stamp(i)},${cell(i)}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

/**
 * A two-file corpus: cat/a.csv (400 rows, probation 60, one window on rows 200-239) and
 * cat/b.csv (300 rows, no window). Detector 'det' scores 0.9 on a's row 205 (a true positive),
 * 0.7 on a's row 100 and 0.8 on b's row 250 (false positives before any window), 0.1 elsewhere.
 */
function writeCorpus(): void {
  mkdirSync(join(nab, 'data', 'cat'), { recursive: true });
  mkdirSync(join(scores, 'cat'), { recursive: true });
  writeCsv(join(nab, 'data', 'cat', 'a.csv'), 'timestamp,value', 400, (i) => String(i % 7));
  writeCsv(join(nab, 'data', 'cat', 'b.csv'), 'timestamp,value', 300, (i) => String(i % 5));
  writeFileSync(join(nab, 'combined_windows.json'), JSON.stringify({ 'cat/a.csv': [[`${stamp(200)}.000000`, `${stamp(239)}.000000`]], 'cat/b.csv': [] }));
  writeFileSync(join(nab, 'profiles.json'), JSON.stringify(Object.fromEntries(Object.entries(NAB_PROFILES).map(([k, v]) => [k, { CostMatrix: { ...v, tnWeight: 1 } }]))));
  const tp = scaledSigmoid(-35 / 40) / MAX_TP;
  writeCsv(join(scores, 'cat', 'det_a.csv'), 'timestamp,value,anomaly_score,S(t)_standard', 400, (i) =>
    [i % 7, i === 205 ? 0.9 : i === 100 ? 0.7 : 0.1, i === 200 ? tp : 0].join(','),
  );
  writeCsv(join(scores, 'cat', 'det_b.csv'), 'timestamp,value,anomaly_score', 300, (i) => [i % 5, i === 250 ? 0.8 : 0.1].join(','));
  writeFileSync(
    join(root, 'thresholds.json'),
    JSON.stringify({ det: Object.fromEntries(Object.keys(NAB_PROFILES).map((p) => [p, { score: 0, threshold: 0.9 }])) }),
  );
}

describe('vigil bench nab', () => {
  before(writeCorpus);

  test('scores precomputed results: the swept threshold, raw and normalised scores, per-file rows, JSON', () => {
    const out = join(root, 'out.json');
    const r = vigil('bench', 'nab', '--data', nab, '--scores', scores, '--json', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /detector 'det', 2 files, 1 windows/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(Object.keys(json), ['detector', 'profiles', 'files']);
    assert.equal(json.detector, 'det');
    assert.deepEqual(Object.keys(json.profiles), ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
    // Best threshold 0.9: only the true positive at row 205 of the 40-row window.
    const tp = scaledSigmoid(-35 / 40) / MAX_TP;
    assert.ok(Math.abs(json.profiles.standard - (100 * (tp + 1)) / 2) < 1e-9, `${json.profiles.standard}`);
    assert.ok(Math.abs(json.profiles.reward_low_FN_rate - (100 * (tp + 2)) / 3) < 1e-9);
    assert.equal(json.files.length, 2);
    const a = json.files[0];
    assert.equal(a.category, 'cat');
    assert.equal(a.file, 'a.csv');
    assert.equal(a.rows, 400);
    assert.equal(a.threshold.standard, 0.9);
    assert.ok(Math.abs(a.raw.standard - tp) < 1e-12);
    assert.equal(json.files[1].raw.standard, 0);
  });

  test('with NAB thresholds given, S(t) is checked against the results files\' own columns', () => {
    const r = vigil('bench', 'nab', '--data', nab, '--scores', join(root, 'results'), '--detector', 'det', '--thresholds', join(root, 'thresholds.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /thresholds from --thresholds/);
    assert.match(r.out, /max \|difference\| standard 0\.00e\+0/);
  });

  test('runs a series detector on every file: NAB scores, JSON with per-file point, range and event metrics', () => {
    const out = join(root, 'run.json');
    const r = vigil('bench', 'nab', '--data', nab, '--detector', 'seasonal', '--set', 'period=7', '--point-adjust', '--json', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /detector 'seasonal period=7 average=3 suppress=100', 2 files, 1 windows/);
    assert.match(r.out, /point-wise \(no adjustment\)/);
    assert.match(r.out, /point-adjusted \(optimistic\)/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(Object.keys(json), ['detector', 'profiles', 'files']);
    assert.equal(json.detector, 'seasonal');
    assert.deepEqual(Object.keys(json.profiles), ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
    assert.equal(json.files.length, 2);
    for (const f of json.files) {
      assert.ok(f.point.f1 >= 0 && f.point.f1 <= 1);
      assert.ok(f.range.precision >= 0 && f.event.recall >= 0);
      assert.equal(f.pointAdjusted.note, 'point-adjusted (optimistic)');
    }
    // A perfectly periodic file has nothing to find: the standard score is at least the null detector's.
    assert.ok(json.profiles.standard >= 0, `${json.profiles.standard}`);
  });

  test('several detectors run together, options addressed by detector name', () => {
    const r = vigil('bench', 'nab', '--data', nab, '--detector', 'seasonal,ewma', '--set', 'ewma.alpha=0.1', '--suppress', '0');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /detector 'seasonal \+ ewma alpha=0\.1 average=3 suppress=0'/);
    const s = vigil('bench', 'nab', '--data', nab, '--detector', 'seasonal,discord', '--set', 'discord.window=1', '--set', 'discord.warmup=10', '--spatial', '0.05');
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /detector 'seasonal \+ discord window=1 warmup=10 average=3 suppress=100 spatial=0\.05'/);
  });

  test("--calibration likelihood runs NAB's numenta pipeline: the anomaly likelihood, no suppression unless asked", () => {
    const out = join(root, 'likelihood.json');
    const r = vigil('bench', 'nab', '--data', nab, '--detector', 'htm', '--set', 'columns=256', '--calibration', 'likelihood', '--spatial', '0.05', '--json', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /detector 'htm columns=256 likelihood suppress=0 spatial=0\.05'/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(json.files.length, 2);
    assert.ok(Number.isFinite(json.profiles.standard));
  });

  test('--calibration none takes scores as they are; --input-range hands each detector the file\'s range (artime)', () => {
    const out = join(root, 'artime.json');
    const r = vigil('bench', 'nab', '--data', nab, '--detector', 'artime', '--calibration', 'none', '--input-range', '--json', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /detector 'artime none suppress=0 input-range'/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(json.files.length, 2);
    assert.ok(json.profiles.standard >= -100 && json.profiles.standard <= 100);
  });

  test('bad input is one line and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['--data', nab, '--detector', 'det'], /unknown series detector 'det' \(known: rolling-z, rolling-mad, ewma, seasonal/],
      [['--data', nab, '--detector', 'seasonal', '--set', 'period=0'], /seasonal: 'period'/],
      [['--data', nab, '--detector', 'seasonal', '--suppress', '-1'], /--suppress must be a whole number >= 0/],
      [['--data', nab, '--detector', 'seasonal', '--spatial', 'x'], /--spatial must be a number, got 'x'/],
      [['--data', nab, '--detector', 'seasonal', '--spatial', '-0.1'], /--spatial must be a number >= 0/],
      [['--data', nab, '--detector', 'seasonal', '--calibration', 'z'], /--calibration must be one of tail, likelihood, none, got 'z'/],
      [['--data', nab, '--detector', 'seasonal', '--input-range'], /--input-range gives each detector a min and max option, which 'seasonal' does not take/],
      [['--data', nab, '--detector', 'rolling-z', '--set', 'window=10', '--calibration', 'none'], /rolling-z scored [0-9.e+]+ at row \d+; --calibration none needs scores in \[0, 1\]/],
      [['--data', nab, '--detector', 'seasonal', '--calibration', 'likelihood', '--average', '3'], /--average is a setting of the tail calibration/],
      [['--data', nab], /give --detector NAME to run a series detector, or --scores DIR/],
      [['--data', nab, '--detector', 'seasonal,ewma', '--set', 'alpha=0.1'], /with several detectors name the one it is for, as detector\.alpha/],
      [['--data', nab, '--detector', 'seasonal', '--set', 'ewma.alpha=0.1'], /'ewma' is not one of the detectors run \(seasonal\)/],
      [['--data', join(root, 'missing'), '--scores', scores], /no such folder: .*missing/],
      [['--data', nab, '--scores', join(root, 'nowhere')], /no such folder: .*nowhere/],
      [['--data', nab, '--scores', scores, '--profiles', 'standard,nope'], /unknown NAB profile 'nope'/],
      [['--data', nab, '--scores', scores, '--thresholds', join(root, 'thresholds.json'), '--detector', 'other'], /no scores for 'cat\/a.csv'/],
    ];
    for (const [args, msg] of cases) {
      const r = vigil('bench', 'nab', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });

  test('a results file without anomaly_score, or with the wrong number of rows, is named in the error', () => {
    const bad = join(root, 'bad', 'det');
    mkdirSync(join(bad, 'cat'), { recursive: true });
    writeCsv(join(bad, 'cat', 'det_a.csv'), 'timestamp,score', 400, () => '0.1');
    let r = vigil('bench', 'nab', '--data', nab, '--scores', bad);
    assert.equal(r.code, 2);
    assert.match(r.err, /det_a\.csv: no 'anomaly_score' column \(columns: timestamp, score\)/);
    writeCsv(join(bad, 'cat', 'det_a.csv'), 'timestamp,anomaly_score', 399, () => '0.1');
    r = vigil('bench', 'nab', '--data', nab, '--scores', bad);
    assert.equal(r.code, 2);
    assert.match(r.err, /det_a\.csv: 399 rows but the data file .*a\.csv has 400/);
  });
});
