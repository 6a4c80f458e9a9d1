/**
 * Fault test on a real `vigil serve` child process: a training job running when the process is
 * killed with SIGKILL is, after a restart, marked failed ("interrupted by a restart"), never left
 * running; a job queued behind it runs after the restart and succeeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantedOutliers } from '../testing/synthetic.js';
import { callChild, serveChild, type ChildServer } from './child-server.js';
import { until } from '../testing/until.js';

const ADMIN = 'jobs-restart-admin';
const serve = (dir: string): Promise<ChildServer> => serveChild(dir, ADMIN);
const call = callChild;


test('a job interrupted by SIGKILL is marked failed at the restart, never left running; the queued one behind it runs', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-restart-'));
  const servers: ChildServer[] = [];
  try {
    const s1 = await serve(dir);
    servers.push(s1);
    const key = (await call(s1.url, 'POST', '/v1/teams', ADMIN, { name: 't' })).body.key;
    const { X } = plantedOutliers({ rows: 200, cols: 2, seed: 3 });
    const csv = 'a,b\n' + Array.from({ length: 200 }, (_, i) => `${X.data[2 * i]},${X.data[2 * i + 1]}`).join('\n') + '\n';
    const d = (await call(s1.url, 'POST', '/v1/datasets', key, csv, 'text/csv')).body;
    const long = (await call(s1.url, 'POST', '/v1/jobs', key, { dataset: d.id, detector: 'autoencoder', options: { hiddenSizes: [4, 2], epochs: 100_000, batchNorm: false, dropout: 0 } })).body;
    const queued = (await call(s1.url, 'POST', '/v1/jobs', key, { dataset: d.id, detector: 'iforest', options: { seed: 1 } })).body;
    await until('the long job to run an epoch', async () => {
      const j = (await call(s1.url, 'GET', `/v1/jobs/${long.id}`, key)).body;
      return j.state === 'running' && j.epoch >= 1;
    });
    assert.equal((await call(s1.url, 'GET', `/v1/jobs/${queued.id}`, key)).body.state, 'queued');
    s1.child.kill('SIGKILL');
    await s1.exited;

    const s2 = await serve(dir);
    servers.push(s2);
    const j = (await call(s2.url, 'GET', `/v1/jobs/${long.id}`, key)).body;
    assert.equal(j.state, 'failed');
    assert.equal(j.error, 'interrupted by a restart');
    assert.ok(j.finishedAt >= j.startedAt);
    const logs = (await call(s2.url, 'GET', `/v1/jobs/${long.id}/logs`, key)).body.logs.map((l: any) => l.message);
    assert.equal(logs.at(-1), 'failed: interrupted by a restart');
    const q = await until('the queued job', async () => {
      const x = (await call(s2.url, 'GET', `/v1/jobs/${queued.id}`, key)).body;
      return ['succeeded', 'failed', 'cancelled'].includes(x.state) && x;
    });
    assert.equal(q.state, 'succeeded', JSON.stringify(q));
    const running = (await call(s2.url, 'GET', '/v1/jobs', key)).body.jobs.filter((x: any) => x.state === 'running');
    assert.deepEqual(running, []);
    s2.child.kill('SIGTERM');
    assert.equal(await s2.exited, 0);
  } finally {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    rmSync(dir, { recursive: true, force: true });
  }
});
