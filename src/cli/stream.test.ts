import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));

function run(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'stream', ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('vigil stream: NDJSON lines in, one JSON result per line out', () => {
  const lines = [1, 2, 1, 2, 1, 2, 1, 50].map((v, i) => JSON.stringify({ t: i, v }));
  const r = run(['--detector', 'rolling-z', '--set', 'window=5', '--threshold', '3', '--warmup', '4', '--timestamp', 't'], lines.join('\n') + '\n');
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t: number; score: number; anomaly: boolean; threshold: number | null });
  assert.equal(out.length, 8);
  assert.deepEqual(out.map((o) => o.t), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.ok(out.slice(0, 4).every((o) => !o.anomaly && o.threshold === null));
  assert.equal(out[7]!.anomaly, true);
  assert.equal(out[7]!.threshold, 3);
  assert.equal(out.filter((o) => o.anomaly).length, 1);
});

test('vigil stream: CSV with several value columns', () => {
  const csv = 'time,a,b\n' + Array.from({ length: 12 }, (_, i) => `2024-01-01T00:00:${String(i).padStart(2, '0')}Z,${i % 2},${(i % 3) + (i === 11 ? 40 : 0)}`).join('\n') + '\n';
  const r = run(['--detector', 'ewma', '--set', 'alpha=0.3', '--threshold', '5', '--warmup', '3', '--timestamp', 'time', '--value', 'a,b'], csv);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { anomaly: boolean });
  assert.equal(out.length, 12);
  assert.equal(out[11]!.anomaly, true);
});

test('vigil stream: a bad line is skipped with one warning line; the stream goes on', () => {
  const input = ['{"t":1,"v":1}', '{"t":2,"v":"abc"}', '{"t":3,"v":', '{"t":0,"v":2}', '[1]', '{"t":4,"v":2}'].join('\n') + '\n';
  const r = run(['--detector', 'ewma', '--threshold', '3', '--timestamp', 't'], input);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { t: number }).t),
    [1, 4],
  );
  const warnings = r.stderr.trim().split('\n');
  assert.equal(warnings.length, 4);
  assert.match(warnings[0]!, /^vigil: line 2: column 'v' is "abc", not a number; skipped$/);
  assert.match(warnings[1]!, /^vigil: line 3: not a JSON object; skipped$/);
  assert.match(warnings[2]!, /^vigil: line 4: .*sorted.*; skipped$/);
  assert.match(warnings[3]!, /^vigil: line 5: not a JSON object; skipped$/);
});

test('vigil stream --strict: text where a number belongs, or unsorted timestamps, exit 2 with one line', () => {
  const bad = run(['--detector', 'ewma', '--threshold', '3', '--strict'], '{"v":1}\n{"v":"abc"}\n{"v":2}\n');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /line 2: column 'v'/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.equal(bad.stdout.trim().split('\n').length, 1, 'the good line was written first');
  const unsorted = run(['--detector', 'ewma', '--threshold', '3', '--timestamp', 't', '--strict'], 't,v\n2,1\n1,2\n');
  assert.equal(unsorted.status, 2);
  assert.match(unsorted.stderr, /line 3: .*sorted/);
});

test('vigil stream: usage errors and a CSV header lacking the value column stop at once', () => {
  for (const [args, msg] of [
    [[], /--detector .* or --model/],
    [['--detector', 'ewma', '--model', 'm.vigil'], /--detector .* or --model/],
    [['--detector', 'ewma', '--drift', 'cusum'], /unknown drift detector 'cusum'/],
    [['--detector', 'ewma', '--drift-set', 'delta=1'], /--drift-set needs --drift/],
    [['--model', '/nonexistent/m.vigil'], /no such model file/],
    [['--detector', 'ewma', '--value', 'w'], /no column 'w'/],
    [['--detector', 'ewma', '--timestamp', 'ts'], /no timestamp column 'ts'/],
    [['--detector', 'ewma', '--threshold', 'high'], /--threshold must be a number, got 'high'/],
    [['--detector', 'ewma', '--warmup', '-3'], /--warmup must be a whole number >= 0, got '-3'/],
    [['--detector', 'ewma', '--buffer', '100'], /--buffer is for series models and detectors/],
  ] as const) {
    const r = run([...args], 'v\n1\n');
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test('vigil stream --drift: a mean shift is reported in the results', () => {
  let seed = 1;
  const noise = (): number => {
    // A small LCG keeps the test free of imports; uniform noise of sd ~0.29.
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const values = Array.from({ length: 3000 }, (_, i) => (i >= 2000 ? 3 : 0) + noise());
  const r = run(['--detector', 'rolling-z', '--set', 'window=5000', '--threshold', '1e9', '--warmup', '100', '--drift', 'adwin'], values.map((v) => `{"v":${v}}`).join('\n') + '\n');
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { drift: boolean });
  assert.equal(out.length, 3000);
  const fired = out.flatMap((o, i) => (o.drift ? [i] : []));
  assert.ok(fired.length > 0 && fired[0]! >= 2000 && fired[0]! < 2100, `drift at ${fired.join(',')}`);
});

test('vigil stream: a result appears as soon as its line arrives', async () => {
  const child = spawn(process.execPath, [BIN, 'stream', '--detector', 'ewma', '--threshold', '3', '--warmup', '0']);
  const rl = createInterface({ input: child.stdout });
  const it = rl[Symbol.asyncIterator]();
  child.stdin.write('{"v":1}\n');
  const first = await it.next();
  assert.equal((JSON.parse(first.value as string) as { score: number }).score, 0);
  child.stdin.write('{"v":2}\n');
  const second = await it.next();
  assert.ok('score' in (JSON.parse(second.value as string) as object));
  child.stdin.end();
  await new Promise((res) => child.on('close', res));
});

test('vigil stream --model: each row is scored with the saved model as it arrives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-stream-model-'));
  const rows = Array.from({ length: 200 }, (_, i) => `${(i % 10) / 10},${(i % 7) / 7},${i % 2 ? 'x' : 'y'}`);
  writeFileSync(join(dir, 'train.csv'), 'a,b,kind\n' + rows.join('\n') + '\n');
  const model = join(dir, 'm.vigil');
  const fit = spawnSync(process.execPath, [BIN, 'fit', '--data', join(dir, 'train.csv'), '--detector', 'zscore', '--out', model], { encoding: 'utf8' });
  assert.equal(fit.status, 0, fit.stderr);
  const batch = spawnSync(process.execPath, [BIN, 'score', '--model', model, '--data', join(dir, 'train.csv')], { encoding: 'utf8' });
  const batchScores = batch.stdout.trim().split('\n').slice(1, 4).map((l) => Number(l.split(',')[1]));

  const child = spawn(process.execPath, [BIN, 'stream', '--model', model, '--drift', 'page-hinkley']);
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const it = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<{ score: number; anomaly: boolean; threshold: number; drift: boolean }> =>
    JSON.parse((await it.next()).value as string) as { score: number; anomaly: boolean; threshold: number; drift: boolean };
  child.stdin.write('a,b,kind\n');
  for (let i = 0; i < 3; i++) {
    // Each result is read before the next line is sent: nothing waits for the end of the input.
    child.stdin.write(rows[i] + '\n');
    const r = await next();
    assert.ok(Math.abs(r.score - batchScores[i]!) <= 1e-9 * (1 + Math.abs(batchScores[i]!)), `row ${i}: ${r.score} vs ${batchScores[i]}`);
    assert.equal(r.drift, false);
  }
  child.stdin.write('0.5,abc,x\n');
  child.stdin.write('40,40,y\n');
  const far = await next();
  assert.equal(far.anomaly, true);
  assert.ok(far.score > far.threshold);
  child.stdin.end();
  const code = await new Promise((res) => child.on('close', res));
  assert.equal(code, 0);
  assert.match(stderr, /^vigil: line 5: column 'b' is "abc", not a number; skipped\n$/);
});

test('vigil stream --model: NDJSON records by column name; a missing field skips the line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-stream-model-'));
  writeFileSync(join(dir, 'train.csv'), 'a,b\n' + Array.from({ length: 100 }, (_, i) => `${i % 10},${i % 3}`).join('\n') + '\n');
  const model = join(dir, 'm.vigil');
  assert.equal(spawnSync(process.execPath, [BIN, 'fit', '--data', join(dir, 'train.csv'), '--detector', 'zscore', '--out', model]).status, 0);
  const r = run(['--model', model, '--timestamp', 'ts'], '{"ts":1,"b":1,"a":5,"extra":"ignored"}\n{"ts":2,"a":1}\n{"ts":3,"a":100,"b":1}\n');
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t: number; anomaly: boolean });
  assert.deepEqual(out.map((o) => [o.t, o.anomaly]), [[1, false], [3, true]]);
  assert.match(r.stderr, /line 2: missing column 'b' that the model was trained on; skipped/);
  const csv = run(['--model', model], 'a,c\n1,2\n');
  assert.equal(csv.status, 2);
  assert.match(csv.stderr, /lacks column 'b' that the model was trained on/);
  const extra = run(['--model', model, '--risk', '0.01'], '');
  assert.equal(extra.status, 2);
  assert.match(extra.stderr, /--risk is for stream detectors/);
});
