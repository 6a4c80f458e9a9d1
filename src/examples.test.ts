import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/examples.test.js -> the repository root, where examples/ lives.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'vigil-examples-'));

function example(name: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(root, 'examples', name), ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function markers(svg: string): { anomalies: number; thresholds: number } {
  return { anomalies: svg.match(/class="anomaly"/g)?.length ?? 0, thresholds: svg.match(/class="threshold"/g)?.length ?? 0 };
}

test('machine-temperature finds a planted failure in a small CSV and charts it', () => {
  const lines = ['timestamp,value'];
  let s = 1;
  const noise = (): number => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  for (let i = 0; i < 1000; i++) {
    const t = new Date(Date.UTC(2014, 0, 1) + i * 300_000).toISOString();
    lines.push(`${t},${(i >= 800 && i < 820 ? 20 : 80 + noise()).toFixed(2)}`);
  }
  writeFileSync(join(dir, 'machine.csv'), lines.join('\n') + '\n');
  const r = example('machine-temperature.mjs', join(dir, 'machine.csv'), join(dir, 'machine.svg'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1000 readings every 5 min/);
  assert.match(r.out, /2014-01-03 18:40 to 2014-01-03 20:15/);
  const m = markers(readFileSync(join(dir, 'machine.svg'), 'utf8'));
  assert.ok(m.anomalies >= 20, `${m.anomalies}`);
  assert.equal(m.thresholds, 1);
});

test('machine-temperature without its data file says so', () => {
  const r = example('machine-temperature.mjs', join(dir, 'absent.csv'));
  assert.equal(r.code, 1);
  assert.match(r.err, /no data file at .*absent\.csv/);
});

test('vital-signs finds the tachycardia and the desaturation, names the channel, and charts them', () => {
  const r = example('vital-signs.mjs', join(dir, 'vitals.svg'), '720');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /06:3\d to 0\d:\d\d: heart_rate 1[34]\d/);
  assert.match(r.out, /09:3\d to 09:\d\d: spo2 8\d/);
  const m = markers(readFileSync(join(dir, 'vitals.svg'), 'utf8'));
  assert.ok(m.anomalies >= 2 * 30, `${m.anomalies}`);
  assert.equal(m.thresholds, 1);
});
