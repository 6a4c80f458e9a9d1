/** For fault tests: `vigil serve` as a child process on a random loopback port over a directory, and a small client. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface ChildServer {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts `vigil serve` on `dir` (its database and data dir) with the admin token, plus any flags; resolves once it listens. */
export async function serveChild(dir: string, adminToken: string, flags: readonly string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--db', `sqlite:${join(dir, 'vigil.db')}`, '--data-dir', join(dir, 'data'), ...flags], {
    env: { ...process.env, VIGIL_ADMIN_TOKEN: adminToken },
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

/** One request with a bearer key; a string body goes as is with `type`, anything else as JSON. */
export async function callChild(url: string, method: string, path: string, key: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json() };
}
