import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
// The CLI itself takes about 15 MB of heap before it reads a row (measured: it fails at 15, runs at 16), so
// the limit leaves room above that and the file is well over it.
const HEAP_MB = 32;

/** Writes `rows` rows of three numeric columns, in slices so the writer itself stays small. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const w = createWriteStream(path);
  w.write('a,b,c\n');
  for (let i = 0; i < rows; ) {
    let s = '';
    for (let k = 0; k < 2000 && i < rows; k++, i++) s += `${(i % 97) / 7},${(i % 89) * 1.5},${i % 13}\n`;
    if (!w.write(s)) await once(w, 'drain');
  }
  w.end();
  await once(w, 'finish');
}

test(`vigil score streams a CSV larger than its ${HEAP_MB} MB heap`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-stream-'));
  const big = join(dir, 'big.csv');
  await writeCsv(big, 2_000_000);
  const bytes = statSync(big).size;
  assert.ok(bytes > 1.2 * HEAP_MB * 2 ** 20, `the file (${bytes} bytes) must exceed the heap limit`);
  writeFileSync(join(dir, 'train.csv'), readFileSync(big, 'utf8').split('\n').slice(0, 1001).join('\n') + '\n');
  const fit = spawnSync(process.execPath, [BIN, 'fit', '--data', join(dir, 'train.csv'), '--detector', 'zscore', '--out', join(dir, 'm.vigil')], { encoding: 'utf8' });
  assert.equal(fit.status, 0, fit.stderr);
  const out = join(dir, 'scores.csv');
  const code = await new Promise<number | null>((resolve) => {
    const child = execFile(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, 'score', '--model', join(dir, 'm.vigil'), '--data', big, '--out', out]);
    child.on('exit', resolve);
  });
  assert.equal(code, 0);
  // count lines without holding the output as one string
  let lines = 0;
  const buf = readFileSync(out);
  for (const b of buf) if (b === 10) lines++;
  assert.equal(lines, 2_000_001);
});
