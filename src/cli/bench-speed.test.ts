import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));

test('bench speed --no-peer writes the JSON shape (no timing is checked)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-speed-'));
  try {
    const out = join(dir, 'speed.json');
    const r = spawnSync(process.execPath, [BIN, 'bench', 'speed', '--rows', '512', '--dim', '8', '--no-peer', '--json', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(j), ['dense_ae', 'lstm_forecaster', 'conv_ae']);
    for (const w of Object.values(j)) {
      assert.deepEqual(Object.keys(w), ['train_rows_per_s', 'score_rows_per_s', 'peer_train_rows_per_s', 'peer_score_rows_per_s']);
      assert.ok(typeof w['train_rows_per_s'] === 'number' && typeof w['score_rows_per_s'] === 'number');
      assert.equal(w['peer_train_rows_per_s'], null);
      assert.equal(w['peer_score_rows_per_s'], null);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
