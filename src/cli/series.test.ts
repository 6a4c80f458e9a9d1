import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../core/random.js';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-series-cli-'));

function vigil(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Two hosts with cpu and mem each minute; host a's cpu spikes at step 250. */
function hostsCsv(steps: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = ['ts,host,cpu,mem'];
  for (let i = 0; i < steps; i++) {
    for (const h of ['a', 'b']) {
      const t = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
      lines.push(`${t},${h},${(Math.sin(i / 8) + 0.1 * rng.normal() + (h === 'a' && i === 250 ? 8 : 0)).toFixed(4)},${rng.normal().toFixed(4)}`);
    }
  }
  return lines.join('\n') + '\n';
}

test('vigil fit/score with a series detector and --series-id: one model per host, timestamp,host,score,is_anomaly,channel scores', () => {
  const data = join(dir, 'hosts.csv');
  writeFileSync(data, hostsCsv(300, 1));
  const model = join(dir, 'hosts.vigil');
  const fit = vigil(['fit', '--data', data, '--detector', 'rolling-z', '--set', 'window=20', '--timestamp', 'ts', '--series-id', 'host', '--contamination', '0.01', '--out', model]);
  assert.equal(fit.status, 0, fit.stderr);
  assert.match(fit.stdout, /fitted rolling-z on 600 steps x 2 channels \(cpu, mem\) \(2 series by 'host'\)/);
  assert.match(fit.stdout, /^ {2}a: cutoff /m);
  const score = vigil(['score', '--data', data, '--model', model]);
  assert.equal(score.status, 0, score.stderr);
  const lines = score.stdout.trim().split('\n');
  assert.equal(lines[0], 'ts,host,score,is_anomaly,score_cpu,score_mem');
  assert.equal(lines.length, 601);
  const flagged = lines.slice(1).filter((l) => l.split(',')[3] === '1');
  assert.ok(flagged.some((l) => l.startsWith('2024-01-01T04:10:00.000Z,a,')), flagged.join('\n'));
  const cpu = vigil(['fit', '--data', data, '--detector', 'ewma', '--series-id', 'host', '--columns', 'cpu', '--out', join(dir, 'cpu.vigil')]);
  assert.equal(cpu.status, 0, cpu.stderr);
  const one = vigil(['score', '--data', data, '--model', join(dir, 'cpu.vigil')]);
  assert.equal(one.stdout.split('\n')[0], 'ts,host,score,is_anomaly', 'no channel scores for one channel');
});

test("vigil fit with artime and no threshold flag cuts at ARTime's own NAB threshold (its sparse scores have no tail for POT); the stuck stretch is flagged", () => {
  const rng = new Rng(3);
  const rows = Array.from({ length: 3000 }, (_, i) => `${i * 60},${(i >= 2400 && i < 2460 ? 2 : Math.sin((2 * Math.PI * i) / 40) + 0.05 * rng.normal()).toFixed(4)}`);
  const data = join(dir, 'stuck.csv');
  writeFileSync(data, 'ts,v\n' + rows.join('\n') + '\n');
  const model = join(dir, 'stuck.vigil');
  const fit = vigil(['fit', '--data', data, '--detector', 'artime', '--timestamp', 'ts', '--out', model]);
  assert.equal(fit.status, 0, fit.stderr);
  assert.match(fit.stdout, /cutoff 0\.317486 over 3000 steps/);
  const flagged = vigil(['score', '--data', data, '--model', model]).stdout.trim().split('\n').slice(1).filter((l) => l.split(',')[2] === '1');
  assert.ok(flagged.length > 0 && flagged.every((l) => Number(l.split(',')[0]) >= 2400 * 60 && Number(l.split(',')[0]) < 2460 * 60), flagged.join('\n'));
});

test('vigil fit/score series: bad input and mixed-up flags get one line and status 2', () => {
  const good = join(dir, 'good.csv');
  writeFileSync(good, 'time,v\n' + Array.from({ length: 50 }, (_, i) => `${i},${i % 5}`).join('\n') + '\n');
  const unsorted = join(dir, 'unsorted.csv');
  writeFileSync(unsorted, 'time,v\n1,1\n3,2\n2,3\n4,1\n');
  const text = join(dir, 'text.csv');
  writeFileSync(text, 'time,v\n1,1\n2,abc\n3,2\n');
  const noTime = join(dir, 'no-time.csv');
  writeFileSync(noTime, 'when,v\n1,1\n2,2\n');
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  const tabular = join(dir, 'tab.vigil');
  assert.equal(vigil(['fit', '--data', good, '--detector', 'zscore', '--out', tabular]).status, 0);
  const series = join(dir, 'series.vigil');
  assert.equal(vigil(['fit', '--data', good, '--detector', 'rolling-z', '--set', 'window=5', '--out', series]).status, 0);
  const out = join(dir, 'x.vigil');
  for (const [args, msg] of [
    [['fit', '--data', good, '--detector', 'rolling-z', '--label', 'v', '--out', out], /--label is for tabular detectors; 'rolling-z' is a series detector/],
    [['fit', '--data', good, '--detector', 'zscore', '--timestamp', 'time', '--out', out], /--timestamp is for series detectors .*'zscore' is a tabular detector/],
    [['fit', '--data', good, '--detector', 'nope', '--out', out], /unknown detector 'nope' \(available: .*iforest.*; series: rolling-z/],
    [['fit', '--data', good, '--detector', 'rolling-z', '--columns', 'w', '--out', out], /column 'w'/],
    [['fit', '--data', good, '--detector', 'rolling-z', '--timestamp', 'when', '--out', out], /column 'when'/],
    [['fit', '--data', unsorted, '--detector', 'rolling-z', '--out', out], /row 3 is earlier than row 2/],
    [['fit', '--data', text, '--detector', 'rolling-z', '--out', out], /row 2 has 'abc' where a number is expected/],
    [['fit', '--data', empty, '--detector', 'rolling-z', '--out', out], /empty|no header|no data/i],
    [['fit', '--data', join(dir, 'missing.csv'), '--detector', 'rolling-z', '--out', out], /missing\.csv/],
    [['fit', '--data', good, '--detector', 'rolling-z', '--max-gap', '-1', '--out', out], /--max-gap must be a whole number/],
    [['fit', '--data', good, '--detector', 'rolling-z', '--columns', 'v', '--timestamp', 'v', '--out', out], /both a value and the timestamp/],
    [['fit', '--data', noTime, '--detector', 'rolling-z', '--out', out], /no timestamp column .*name it with --timestamp/],
    [['score', '--data', good, '--model', series, '--id', 'v'], /--id is for tabular models/],
    [['score', '--data', text, '--model', series], /row 2 has 'abc'/],
    [['stream', '--model', tabular, '--buffer', '10'], /--buffer is for series models and detectors/],
    [['stream', '--detector', 'ewma', '--refit-after', '10'], /--refit-after is for series models and detectors; 'ewma' is a stream detector/],
  ] as const) {
    const r = vigil([...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('vigil detectors: tabular, series and stream detectors in their own sections; a shared name shows both kinds', () => {
  const all = vigil(['detectors']);
  assert.equal(all.status, 0);
  const sections = all.stdout.split('\n\n');
  assert.equal(sections.length, 3);
  for (const [k, title, name] of [[0, 'tabular', 'zscore'], [1, 'series', 'seasonal'], [2, 'stream', 'rolling-z']] as const) {
    assert.ok(sections[k]!.startsWith(`${title} detectors`), sections[k]);
    assert.match(sections[k]!, new RegExp(`^ {2}${name} `, 'm'));
  }
  assert.doesNotMatch(sections[2]!, /seasonal/);
  const one = vigil(['detectors', 'rolling-z']);
  assert.match(one.stdout, /^rolling-z \(series detector\)/m);
  assert.match(one.stdout, /^rolling-z \(stream detector/m);
});

/** Reads one JSON result per line written, each before the next line is sent. */
function streamer(args: string[]): {
  send(line: string): void;
  next(): Promise<Record<string, unknown>>;
  end(): Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, 'stream', ...args]);
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const it = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    send: (line) => void child.stdin.write(line + '\n'),
    next: async () => JSON.parse((await it.next()).value as string) as Record<string, unknown>,
    end: async () => {
      child.stdin.end();
      const code = await new Promise<number | null>((res) => child.on('close', res));
      return { code, stderr };
    },
  };
}

test('vigil stream --model (series): a result per line as it arrives; a mean shift drifts, refits and swaps', async () => {
  const rng = new Rng(11);
  const train = join(dir, 'flat.csv');
  writeFileSync(train, 't,v\n' + Array.from({ length: 600 }, (_, i) => `${i},${rng.normal().toFixed(4)}`).join('\n') + '\n');
  const model = join(dir, 'flat.vigil');
  const fit = vigil(['fit', '--data', train, '--detector', 'seasonal', '--set', 'period=1', '--timestamp', 't', '--out', model]);
  assert.equal(fit.status, 0, fit.stderr);
  const s = streamer(['--model', model, '--drift', 'page-hinkley', '--buffer', '200', '--refit-after', '150']);
  const events: { i: number; type: string }[] = [];
  let generation = 0;
  for (let i = 0; i < 900; i++) {
    if (i === 3) s.send(`{"t":${600 + i},"v":"abc"}`);
    s.send(JSON.stringify({ t: 600 + i, v: rng.normal() + (i >= 300 ? 6 : 0) }));
    const r = await s.next();
    assert.equal(r['t'], 600 + i);
    for (const e of r['events'] as { type: string }[]) events.push({ i, type: e.type });
    generation = r['generation'] as number;
    if (i === 100) assert.equal(r['warm'], true);
  }
  const { code, stderr } = await s.end();
  assert.equal(code, 0, stderr);
  assert.match(stderr, /^vigil: line 4: column 'v' is "abc", not a number; skipped\n$/);
  const drift = events.find((e) => e.type === 'drift');
  assert.ok(drift && drift.i >= 300 && drift.i < 400, JSON.stringify(events));
  const started = events.find((e) => e.type === 'refit-started');
  const swapped = events.find((e) => e.type === 'swapped');
  assert.ok(started && started.i >= drift.i + 150, JSON.stringify(events));
  assert.ok(swapped && swapped.i >= started.i, JSON.stringify(events));
  assert.ok(generation >= 1);
});

test('vigil stream --detector (series) --series-id: each host warms up, fits in the background, then scores', async () => {
  const rng = new Rng(4);
  const s = streamer(['--detector', 'seasonal', '--set', 'period=1', '--series-id', 'host', '--timestamp', 't', '--warmup', '40', '--threshold', '6', '--max-series', '2']);
  s.send('t,host,v');
  const seen: Record<string, { fitted: number; warm: number }> = { a: { fitted: -1, warm: 0 }, b: { fitted: -1, warm: 0 } };
  for (let i = 0; i < 120; i++) {
    for (const h of ['a', 'b']) {
      s.send(`${i},${h},${(rng.normal() + (h === 'b' && i === 110 ? 30 : 0)).toFixed(4)}`);
      const r = await s.next();
      assert.equal(r['host'], h);
      const events = r['events'] as { type: string }[];
      if (events.some((e) => e.type === 'fitted')) seen[h]!.fitted = i;
      if (r['warm']) seen[h]!.warm++;
      if (h === 'b' && i === 110) assert.equal(r['anomaly'], true);
      if (i < 39) assert.equal(r['warm'], false);
    }
  }
  s.send('5,a,1');
  s.send('200,c,1');
  const { code, stderr } = await s.end();
  assert.equal(code, 0, stderr);
  for (const h of ['a', 'b']) assert.ok(seen[h]!.fitted >= 40 && seen[h]!.warm > 60, JSON.stringify(seen));
  const warnings = stderr.trim().split('\n');
  assert.equal(warnings.length, 2, stderr);
  assert.match(warnings[0]!, /line 242: .*before the previous one of series 'a'/);
  assert.match(warnings[1]!, /line 243: .*at most 2/);
});

test('vigil stream --detector (stream detector) --series-id: one detector per host, each result names its host', () => {
  const lines = ['t,host,v', ...Array.from({ length: 20 }, (_, i) => [`${i},a,${i % 2}`, `${i},b,${10 + (i % 3)}`]).flat(), '20,b,11', '20,a,40'];
  const r = vigil(['stream', '--detector', 'rolling-z', '--set', 'window=10', '--threshold', '5', '--warmup', '5', '--series-id', 'host', '--timestamp', 't'], lines.join('\n') + '\n');
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { host: string; anomaly: boolean });
  assert.equal(out.length, 42);
  assert.deepEqual(out.slice(0, 2).map((o) => o.host), ['a', 'b']);
  assert.deepEqual(out.slice(-2).map((o) => [o.host, o.anomaly]), [['b', false], ['a', true]], 'host b at 10-12 is normal for b, host a at 40 is not');
});
