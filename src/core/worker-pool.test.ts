import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { VigilError } from './errors.js';
import { WorkerPool } from './worker-pool.js';

const SERVE = new URL('./worker-pool.js', import.meta.url).href;
/** A worker doubling numbers, failing on 'boom' and dying on 'exit'. */
const CODE = `import { serve } from ${JSON.stringify(SERVE)};
serve({ handle: async (r) => { if (r === 'boom') throw new RangeError('bad row'); if (r === 'exit') process.exit(3); return r * 2; } });`;
const script = new URL(`data:text/javascript,${encodeURIComponent(CODE)}`);

test('a pool answers calls, passes handler errors on by name and replaces a worker that exits', async () => {
  const pool = new WorkerPool<unknown, number>(script, { size: 1, what: 'test thread' });
  try {
    assert.equal(await pool.call(0, 21), 42);
    await assert.rejects(pool.call(0, 'boom'), { name: 'RangeError', message: 'bad row' });
    await assert.rejects(pool.call(0, 'exit'), (e: Error) => e instanceof VigilError && /test thread 0 exited \(code 3\)/.test(e.message));
    assert.equal(await pool.call(0, 2), 4);
  } finally {
    await pool.dispose();
  }
});

test('dispose fails pending calls instead of leaving them hanging', async () => {
  const pool = new WorkerPool<unknown, number>(script, { size: 2, what: 'test thread' });
  await pool.ready(1);
  const pending = assert.rejects(pool.call(1, 5), /disposed/);
  await pool.dispose();
  await pending;
  assert.throws(() => pool.call(2, 1), RangeError);
});

test('an idle pool never keeps the process alive', () => {
  const child = `import { WorkerPool } from ${JSON.stringify(new URL('./worker-pool.js', import.meta.url).href)};
const p = new WorkerPool(new URL(${JSON.stringify(script.href)}), { size: 1, what: 't' });
console.log(await p.call(0, 4));
void new WorkerPool(new URL(${JSON.stringify(script.href)}), { size: 1, what: 't' }).ready(0); // started, never used`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, 'the process had to be killed');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '8');
});
