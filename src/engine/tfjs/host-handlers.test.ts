import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const library = fileURLToPath(new URL('../../index.js', import.meta.url));

/**
 * In a fresh process (TF.js starts once per process): the host's listeners before a deep fit,
 * the host's own listener kept, and nothing of TF.js's left after the fit and a score.
 */
const script = `
const events = ['uncaughtException', 'unhandledRejection'];
const mine = () => {};
process.on('uncaughtException', mine);
const count = () => events.map((e) => process.listenerCount(e));
const before = count();
const { autoencoder, fromRows } = await import(${JSON.stringify(library)});
const X = fromRows(Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 7) / 7]));
const det = autoencoder({ hiddenSizes: [4, 2], epochs: 2, batchSize: 16, seed: 1 });
await det.fit(X);
await det.score(X);
const after = count();
console.log(JSON.stringify({ before, after, kept: process.listeners('uncaughtException').includes(mine) }));
`;

for (const backend of ['wasm', 'cpu']) {
  test(`a deep fit on the ${backend} backend leaves the host's uncaughtException and unhandledRejection listeners as they were`, () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, VIGIL_BACKEND: backend, VIGIL_THREADS: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    const { before, after, kept } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { before: number[]; after: number[]; kept: boolean };
    assert.deepEqual(after, before);
    assert.equal(kept, true);
  });
}
