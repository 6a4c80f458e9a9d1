/** For the service's tests: a real server on a random loopback port and a temporary SQLite file, and a small client. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService, type ServeOptions } from './server.js';

export const ADMIN = 'test-admin-token';

export interface TestServer {
  svc: RunningService;
  dir: string;
  call(method: string, path: string, opts?: { key?: string; body?: unknown; raw?: string | Buffer; type?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function testServer(o: Partial<ServeOptions> = {}, dir = mkdtempSync(join(tmpdir(), 'vigil-serve-'))): Promise<TestServer> {
  const svc = await startService({ port: 0, host: '127.0.0.1', db: `sqlite:${join(dir, 'vigil.db')}`, dataDir: join(dir, 'data'), adminToken: ADMIN, log: () => {}, ...o });
  return {
    svc,
    dir,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.key) headers['authorization'] = `Bearer ${opts.key}`;
      let body: string | Buffer | undefined;
      if (opts.raw !== undefined) body = opts.raw;
      else if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
      const res = await fetch(svc.url + path, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON (metrics text): the text itself.
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until every stored point of the stream is scored (a generous bound, not a timing assumption). */
export async function waitScored(s: TestServer, key: string, streamId: string, expected: number): Promise<any[]> {
  for (let i = 0; i < 600; i++) {
    const r = await s.call('GET', `/v1/streams/${streamId}/points?limit=10000`, { key });
    const pts = r.body.points as any[];
    if (pts.length >= expected && pts.every((p) => p.scored)) return pts;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`points of ${streamId} not all scored`);
}
