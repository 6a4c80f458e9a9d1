import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

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

test('vigil stream: text where a number belongs, or unsorted timestamps, exit 2 with one line', () => {
  const bad = run(['--detector', 'ewma', '--threshold', '3'], '{"v":1}\n{"v":"abc"}\n');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /line 2: column 'v'/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.equal(bad.stdout.trim().split('\n').length, 1, 'the good line was written first');
  const unsorted = run(['--detector', 'ewma', '--threshold', '3', '--timestamp', 't'], 't,v\n2,1\n1,2\n');
  assert.equal(unsorted.status, 2);
  assert.match(unsorted.stderr, /line 3: .*sorted/);
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
