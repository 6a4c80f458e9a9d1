import { Command } from 'commander';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DataError } from '../../core/errors.js';
import { writeJson } from '../commands/bench.js';
import { wholeFlagOr } from '../number-flags.js';

interface Opts {
  seconds: string;
  connections: string;
  paced: string;
  json?: string;
}

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const PACED = fileURLToPath(new URL('./paced-load.js', import.meta.url));
const ADMIN = 'bench-admin';

interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: string | null;
}

/**
 * `vigil bench serve`: the service under load on loopback, from separate processes: a `vigil
 * serve` child on a temporary database, and Debian's wrk for the load. Single-point ingest
 * (requests/s, p50, p99), batched ingest (1,000 points a request over 1,000 series), ingest-to-
 * score latency (a point posted until its scored event arrives on the SSE feed), and afterwards
 * a count of the stored points against the acknowledged ones. Bounded: each phase runs --seconds.
 */
export function benchServeCommand(): Command {
  return new Command('serve')
    .description('the service on loopback: single-point and batched ingest with wrk, ingest-to-score latency, acknowledged points stored')
    .option('--seconds <n>', 'seconds per load phase', '10')
    .option('--connections <n>', 'wrk connections for single-point ingest (2 or more: one per wrk thread at least)', '32')
    .option('--paced <rates>', 'batched loads (points/s, comma-separated) under which ingest-to-score is timed too', '100000,200000')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (o: Opts) => {
      const seconds = wholeFlagOr(o.seconds, '--seconds', 1);
      const connections = wholeFlagOr(o.connections, '--connections', 2);
      const paced = o.paced === '' ? [] : o.paced.split(',').map((r) => wholeFlagOr(r.trim(), '--paced', 1000));
      await run('wrk', ['--version']).catch((e: NodeJS.ErrnoException & { stdout?: string }) => {
        if (e.code === 'ENOENT') throw new DataError('vigil bench serve needs wrk (apt-get install wrk)');
      });
      const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-serve-'));
      const server = await startServer(dir);
      try {
        const results = await phases(server.url, dir, seconds, connections, paced);
        if (o.json) await writeJson(o.json, results);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

async function phases(url: string, dir: string, seconds: number, connections: number, paced: readonly number[]): Promise<Record<string, unknown>> {
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  // The machine may be shared: its load beside the figures says how far to trust them.
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  const loadBefore = load();
  out(`load average before: ${loadBefore} (${cpus().length} cores)`);
  const team = await api(url, 'POST', '/v1/teams', ADMIN, { name: 'bench' });
  const key = team.key as string;
  const stream = async (name: string, spec: Record<string, unknown>): Promise<string> => (await api(url, 'POST', '/v1/streams', key, { name, ...spec })).id as string;
  const spec = { detector: 'rolling-z', threshold: { kind: 'value', value: 5 }, warmup: 50 };

  const single = await stream('single', spec);
  const s = await wrk(url, dir, 'single.lua', singleLua(key, single), 2, connections, seconds);
  out(`single-point ingest: ${fmt(s.requestsPerSecond)} req/s, p50 ${s.p50Ms.toFixed(2)} ms, p99 ${s.p99Ms.toFixed(2)} ms, ${s.non2xx} non-2xx (${connections} connections, 2 wrk threads, ${seconds} s)`);

  const batched = await stream('batched', { ...spec, maxSeries: 1000 });
  // One connection per wrk thread, each thread its own series: a thread's requests then commit in order, so times never go back within a series.
  const b = await wrk(url, dir, 'batch.lua', batchLua(key, batched, BATCH_THREADS), BATCH_THREADS, BATCH_THREADS, seconds);
  const pointsPerSecond = b.requestsPerSecond * 1000;
  out(`batched ingest (1,000 points a request, 1,000 series): ${fmt(pointsPerSecond)} points/s, p50 ${b.p50Ms.toFixed(1)} ms, p99 ${b.p99Ms.toFixed(1)} ms, ${b.non2xx} non-2xx (${BATCH_THREADS} connections)`);

  // The scorer catches up with the batched load before the latency is timed (a backlog is not latency).
  const drain = await drained(url);
  out(`scorer caught up ${(drain.seconds).toFixed(1)} s after the load (${fmt(drain.backlog)} points behind when it ended)`);

  const latency: Record<string, unknown> = {};
  for (const [name, sp] of [
    ['rolling-z', spec],
    ['rolling-mad', { detector: 'rolling-mad', threshold: { kind: 'value', value: 5 }, warmup: 50 }],
    ['artime', { detector: 'artime', options: { min: -2, max: 2, probation: 200 } }],
  ] as const) {
    const id = await stream(`latency-${name}`, sp);
    const l = await ingestToScore(url, key, id, Math.min(seconds, 5));
    latency[name] = l;
    out(`ingest-to-score (${name}, ${l.points} points at 200/s): p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms`);
  }

  // The same latency while 1,000 series take a steady batched load: the probe's points queue behind theirs.
  const underLoad: Record<string, unknown>[] = [];
  for (const rate of paced) {
    const loaded = await stream(`paced-${rate}`, { ...spec, maxSeries: 1000 });
    const probe = await stream(`probe-${rate}`, spec);
    const loader = pacedLoad(url, key, loaded, rate, seconds);
    const l = await ingestToScore(url, key, probe, seconds);
    const sent = await loader;
    const caught = await drained(url);
    underLoad.push({ rate, load: sent, ingestToScore: l, scorerCatchUp: caught });
    out(
      `ingest-to-score under a paced load of ${fmt(rate)} points/s (${fmt(sent.pointsPerSecond)}/s acknowledged, 1,000 series, rolling-z): p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms; ` +
        `${fmt(caught.backlog)} points behind at the end${sent.failed ? `; ${sent.failed} requests failed` : ''}`,
    );
  }

  const overview = await api(url, 'GET', '/v1/overview', ADMIN);
  const counts = Object.fromEntries((overview.teams as any[]).flatMap((t) => t.streams).map((x: any) => [x.id, x.points]));
  const ackedSingle = s.requests - s.non2xx;
  const ackedBatched = (b.requests - b.non2xx) * 1000;
  const stored = { single: counts[single] as number, batched: counts[batched] as number };
  out(`stored after the load: ${fmt(stored.single)} single points (${fmt(ackedSingle)} acknowledged), ${fmt(stored.batched)} batched (${fmt(ackedBatched)} acknowledged)`);
  if (stored.single < ackedSingle || stored.batched < ackedBatched) out('MISSING: fewer points stored than acknowledged');
  const loadAfter = load();
  out(`load average after: ${loadAfter}`);
  return { load: { before: loadBefore, after: loadAfter, cores: cpus().length }, single: s, batched: { ...b, pointsPerSecond }, scorerCatchUp: drain, ingestToScore: latency, underLoad, stored, acknowledged: { single: ackedSingle, batched: ackedBatched } };
}

interface PacedResult {
  sent: number;
  acked: number;
  failed: number;
  pointsPerSecond: number;
  behindMs: number;
}

/** Runs paced-load.ts in a process of its own for `seconds`. */
async function pacedLoad(url: string, key: string, sid: string, rate: number, seconds: number): Promise<PacedResult> {
  const { stdout } = await run(process.execPath, [PACED, url, key, sid, String(rate), String(seconds)], { timeout: (seconds + 120) * 1000 });
  return JSON.parse(stdout) as PacedResult;
}

/** Waits (at most two minutes) until every stored point is scored. */
async function drained(url: string): Promise<{ seconds: number; backlog: number }> {
  const t0 = performance.now();
  let backlog = -1;
  for (let i = 0; i < 1200; i++) {
    const o = await api(url, 'GET', '/v1/overview', ADMIN);
    const behind = (o.teams as any[]).flatMap((t) => t.streams).reduce((n: number, x: any) => n + x.points - x.scored, 0);
    if (backlog < 0) backlog = behind;
    if (behind === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { seconds: (performance.now() - t0) / 1000, backlog };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function startServer(dir: string): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--db', `sqlite:${join(dir, 'vigil.db')}`, '--data-dir', join(dir, 'data')], {
    env: { ...process.env, VIGIL_ADMIN_TOKEN: ADMIN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.on('exit', r));
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d) => {
      text += d;
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new DataError('vigil serve did not start')));
  });
  return { child, url, exited };
}

async function api(url: string, method: string, path: string, key: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new DataError(`${method} ${path}: ${res.status} ${json.message}`);
  return json;
}

/** What both wrk scripts start with: a request counter, each thread's number (`tid`), and a POST of JSON with the key. */
function luaHeader(key: string): string {
  return `local n = 0
local threads = {}
function setup(thread) thread:set("tid", #threads); table.insert(threads, thread) end
function init(args) wrk.method = "POST"; wrk.headers["Content-Type"] = "application/json"; wrk.headers["Authorization"] = "Bearer ${key}" end
`;
}

function singleLua(key: string, sid: string): string {
  return `${luaHeader(key)}function request()
  n = n + 1
  return wrk.format(nil, "/v1/streams/${sid}/points", nil, string.format('{"points":[{"t":%d,"key":"t%d-%d","value":%d}]}', 1764583200000 + n * 1000, tid, n % 256, n % 17))
end
`;
}

/** Batched ingest's connections (a request in flight on each, so commits can group); the 1,000 series are split between them. */
const BATCH_THREADS = 4;

function batchLua(key: string, sid: string, threads: number): string {
  const per = 1000 / threads;
  return `${luaHeader(key)}function request()
  n = n + 1
  local parts = {}
  for j = 0, 999 do
    parts[#parts + 1] = string.format('{"t":%d,"key":"s%d","value":%d}', 1764583200000 + n * ${threads} + math.floor(j / ${per}), tid * ${per} + (j % ${per}), (n + j) % 23)
  end
  return wrk.format(nil, "/v1/streams/${sid}/points", nil, '{"points":[' .. table.concat(parts, ",") .. ']}')
end
`;
}

async function wrk(url: string, dir: string, name: string, lua: string, threads: number, connections: number, seconds: number): Promise<WrkResult> {
  const script = join(dir, name);
  writeFileSync(script, lua);
  const { stdout } = await run('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { maxBuffer: 1 << 20 });
  const ms = (re: RegExp): number => {
    const m = re.exec(stdout);
    return m ? Number(m[1]) * { us: 1e-3, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'] : Number.NaN;
  };
  return {
    requests: Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p50Ms: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99Ms: ms(/99%\s+([\d.]+)(us|ms|s)/),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: /Socket errors:.*/.exec(stdout)?.[0] ?? null,
  };
}

/** Posts one point every 5 ms and times each until its scored event arrives on the stream's SSE feed. */
async function ingestToScore(url: string, key: string, sid: string, seconds: number): Promise<{ points: number; p50Ms: number; p99Ms: number }> {
  const ac = new AbortController();
  const res = await fetch(`${url}/v1/streams/${sid}/events`, { headers: { authorization: `Bearer ${key}` }, signal: ac.signal });
  const sent = new Map<number, number>();
  const lat: number[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += decoder.decode(value);
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!data) continue;
        const t = (JSON.parse(data) as { t: number }).t;
        const t0 = sent.get(t);
        if (t0 !== undefined) lat.push(performance.now() - t0);
      }
    }
  })();
  const n = seconds * 200;
  const T0 = Date.now();
  for (let i = 0; i < n; i++) {
    const t = T0 + i;
    sent.set(t, performance.now());
    await api(url, 'POST', `/v1/streams/${sid}/points`, key, { points: [{ t, value: Math.sin(i / 10) + (i % 300 === 299 ? 5 : 0) }] });
    await new Promise((r) => setTimeout(r, 5));
  }
  for (let w = 0; w < 100 && lat.length < n; w++) await new Promise((r) => setTimeout(r, 50));
  ac.abort();
  await reading;
  lat.sort((a, b) => a - b);
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? Number.NaN;
  return { points: lat.length, p50Ms: q(0.5), p99Ms: q(0.99) };
}
