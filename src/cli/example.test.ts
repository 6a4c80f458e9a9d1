import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const vigil = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('vigil example prices prints the table, writes the JSON contract and an HTML report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-example-'));
  const r = vigil('example', 'prices', '--size', '0.3', '--out', join(dir, 'report'), '--json', join(dir, 'prices.json'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /approach\s+pr_auc\s+roc_auc\s+precision\s+recall\s+alerts_per_day/);
  const j = JSON.parse(readFileSync(join(dir, 'prices.json'), 'utf8')) as { kit: string; approaches: Record<string, unknown>[] };
  assert.equal(j.kit, 'prices');
  assert.ok(j.approaches.length >= 5);
  for (const a of j.approaches) {
    assert.equal(typeof a['name'], 'string');
    for (const k of ['pr_auc', 'roc_auc', 'precision', 'recall', 'alerts_per_day']) assert.equal(typeof a[k], 'number', `${String(a['name'])}.${k}`);
  }
  const page = join(dir, 'report', 'prices-report.html');
  assert.ok(existsSync(page));
  const html = readFileSync(page, 'utf8');
  assert.match(html, /market residual vs own volatility/);
  assert.match(html, /rolling-z on prices \(naive\)/);
});

test('a bad kit name is one line and exit 2', () => {
  const r = vigil('example', 'frod');
  assert.equal(r.code, 2);
  assert.equal(r.err.trim().split('\n').length, 1);
  assert.match(r.err, /^vigil: unknown kit 'frod' \(available: fraud, intrusion, equipment, vitals, prices, image-defects\)/);
});

test('vigil example without a name lists the kits', () => {
  const r = vigil('example');
  assert.equal(r.code, 0, r.err);
  for (const k of ['fraud', 'intrusion', 'equipment', 'vitals', 'prices', 'image-defects']) assert.match(r.out, new RegExp(`^  ${k} `, 'm'));
});
