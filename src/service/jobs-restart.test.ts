/**
 * Fault test on a real `vigil serve` child process: a training job running when the process is
 * killed with SIGKILL is, after a restart, marked failed ("interrupted by a restart"), never left
 * running; a job queued behind it runs after the restart and succeeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plantedOutliers } from '../testing/synthetic.js';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const ADMIN = 'jobs-restart-admin';

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function serve(dir: string): Promise<Server> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--db', `sqlite:${join(dir, 'vigil.db')}`, '--data-dir', join(dir, 'data')], {
    env: { ...process.env, VIGIL_ADMIN_TOKEN: ADMIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start: ${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) (clearTimeout(timer), resolve(m[1]!));
    });
    child.on('exit', () => reject(new Error(`exited: ${err}`)));
  });
  return { child, url, exited };
}

async function call(url: string, method: string, path: string, key: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json() };
}

async function until<T>(what: string, f: () => Promise<T | false>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a job interrupted by SIGKILL is marked failed at the restart, never left running; the queued one behind it runs', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-jobs-restart-'));
  const servers: Server[] = [];
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
