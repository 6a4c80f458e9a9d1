import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDEMPOTENCY_HEADER } from '../../alerting/index.js';
import { TestReceiver, until } from './test-receiver.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../cli/main.js');
const ADMIN = 'restart-admin-token';
const T0 = Date.UTC(2026, 11, 1, 10);

interface Child {
  proc: ChildProcess;
  url: string;
}

/** `vigil serve` in a child process on a random loopback port; resolves once it listens. */
function serve(dir: string): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [MAIN, 'serve', '--port', '0', '--data-dir', dir, '--allow-private-sinks', '--retry-base', '0.05', '--retry-max-delay', '0.3', '--retry-attempts', '100'],
    { env: { ...process.env, VIGIL_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => (err += c));
    proc.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.on('exit', (code) => reject(new Error(`vigil serve exited ${code}: ${err}`)));
  });
}

function killed(c: Child, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
    c.proc.once('exit', () => resolve());
    c.proc.kill(signal);
  });
}

async function call(c: Child, method: string, path: string, key: string, body?: unknown): Promise<any> {
  const res = await fetch(c.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return res.json();
}

test('alerts pending in the outbox when the server is killed (-9) are delivered after the restart, each once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-restart-'));
  const rx = new TestReceiver();
  let child: Child | null = null;
  try {
    // The receiver's port is known, but nothing listens on it yet: connections are refused.
    await rx.up();
    await rx.down();
    child = await serve(dir);
    const team = await call(child, 'POST', '/v1/teams', ADMIN, { name: 'ops' });
    const key = team.key;
    const st = await call(child, 'POST', '/v1/streams', key, { name: 'pumps', detector: 'rolling-z', options: { window: 20 }, warmup: 30, threshold: { kind: 'value', value: 4 } });
    const sink = await call(child, 'POST', '/v1/sinks', key, { name: 'pager', url: rx.url });
    await call(child, 'POST', `/v1/streams/${st.id}/rules`, key, { sinks: [sink.id], severity: { by: 'score', warning: 1e12, critical: 1e12 } });
    const keys = ['p1', 'p2', 'p3', 'p4'];
    for (const k of keys) {
      const points = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * 1000, key: k, value: i === 45 ? 500 : Math.sin(i / 3) * 0.5 }));
      assert.deepEqual(await call(child, 'POST', `/v1/streams/${st.id}/points`, key, { points }), { accepted: 60 });
    }
    const pending = await until('every alert tried and failed', async () => {
      const d = (await call(child!, 'GET', `/v1/sinks/${sink.id}/deliveries`, key)).deliveries as any[];
      return d.length === keys.length && d.every((x) => x.status === 'pending' && x.attempts >= 1 && /ECONNREFUSED/.test(x.lastError)) && d;
    });
    await killed(child, 'SIGKILL');
    child = null;

    await rx.up();
    child = await serve(dir);
    const done = await until('every alert delivered after the restart', async () => {
      const d = (await call(child!, 'GET', `/v1/sinks/${sink.id}/deliveries`, key)).deliveries as any[];
      return d.every((x) => x.status === 'delivered') && d;
    });
    assert.deepEqual(
      done.map((x) => x.idempotencyKey),
      pending.map((x) => x.idempotencyKey),
      'the same outbox rows: the replay after the restart made no new alerts',
    );
    const got = rx.delivered().map((r) => String(r.headers[IDEMPOTENCY_HEADER]));
    assert.equal(got.length, keys.length, 'none delivered twice');
    assert.deepEqual(new Set(got), new Set(pending.map((x) => x.idempotencyKey)));
    const incidents = (await call(child, 'GET', `/v1/incidents?stream=${st.id}`, key)).incidents as any[];
    assert.deepEqual(incidents.map((i) => i.key).sort(), keys);
  } finally {
    if (child) await killed(child, 'SIGTERM');
    await rx.down();
    rmSync(dir, { recursive: true, force: true });
  }
});
