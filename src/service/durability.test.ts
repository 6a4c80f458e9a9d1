/**
 * Fault tests on a real `vigil serve` child process: kill -9 during sustained ingest, then a
 * restart; and SIGTERM during ingest (a graceful stop). Every acknowledged point must be stored,
 * and the scores after the restart must equal those of a run that never crashed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStreamScorer } from '../stream/scorer/index.js';
import { callChild, serveChild, type ChildServer } from './child-server.js';

const ADMIN = 'durability-admin';
const T0 = Date.UTC(2026, 11, 1);
const BATCH = 100;
const SPEC = { detector: 'rolling-z', options: { window: 50 }, warmup: 60, threshold: { kind: 'value' as const, value: 3.5 } };

type Server = ChildServer;
const serve = (dir: string): Promise<Server> => serveChild(dir, ADMIN, ['--checkpoint-points', '250']);
const call = callChild;

/** Seeded values: a wave, noise, and now and then a spike. */
function batch(writer: number, i: number): { t: number; key: string; value: number }[] {
  let seed = (writer * 7919 + i * 104729) >>> 0;
  const rand = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: BATCH }, (_, j) => {
    const n = i * BATCH + j;
    return { t: T0 + n * 1000, key: `w${writer}`, value: Math.sin(n / 20) + 0.2 * rand() + (n % 397 === 0 ? 8 : 0) };
  });
}

/** Writers post batches until a request fails (the server is gone); returns the acknowledged batches. */
function writers(url: string, key: string, sid: string, count: number, from: number[], untilAcked: number, onEnough: () => void): Promise<{ writer: number; i: number }[]> {
  const acked: { writer: number; i: number }[] = [];
  let fired = false;
  return Promise.all(
    Array.from({ length: count }, async (_, w) => {
      for (let i = from[w]!; ; i++) {
        try {
          const r = await call(url, 'POST', `/v1/streams/${sid}/points`, key, { points: batch(w, i) });
          if (r.status !== 202) return;
        } catch {
          return;
        }
        acked.push({ writer: w, i });
        if (acked.length >= untilAcked && !fired) (fired = true), onEnough();
        if (i > from[w]! + 10_000) return;
      }
    }),
  ).then(() => acked);
}

async function storedPoints(url: string, key: string, sid: string, writer: number): Promise<any[]> {
  const out: any[] = [];
  for (let from = T0; ; ) {
    const r = await call(url, 'GET', `/v1/streams/${sid}/points?key=w${writer}&from=${from}&limit=10000`, key);
    out.push(...r.body.points);
    if (r.body.points.length < 10000) return out;
    from = r.body.points[r.body.points.length - 1].t + 1;
  }
}

async function allScored(url: string, key: string, sid: string, writers: number): Promise<any[][]> {
  for (let tries = 0; tries < 600; tries++) {
    const per = await Promise.all(Array.from({ length: writers }, (_, w) => storedPoints(url, key, sid, w)));
    if (per.every((pts) => pts.every((p) => p.scored))) return per;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('points not scored');
}

function assertAcked(per: any[][], acked: { writer: number; i: number }[]): void {
  for (const { writer, i } of acked) {
    const want = batch(writer, i);
    const got = per[writer]!.filter((p) => p.t >= want[0]!.t && p.t <= want[BATCH - 1]!.t);
    assert.deepEqual(
      got.map((p) => [p.t, p.value]),
      want.map((p) => [p.t, p.value]),
      `acknowledged batch ${i} of writer ${writer}`,
    );
  }
}

test('kill -9 during ingest: every acknowledged point is stored and scores go on as if nothing happened; SIGTERM stops gracefully', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-durable-'));
  const servers: Server[] = [];
  try {
    const s1 = await serve(dir);
    servers.push(s1);
    const team = await call(s1.url, 'POST', '/v1/teams', ADMIN, { name: 'd' });
    const key = team.body.key as string;
    const sid = (await call(s1.url, 'POST', '/v1/streams', key, { name: 'd', ...SPEC })).body.id as string;
    const acked1 = await writers(s1.url, key, sid, 2, [0, 0], 30, () => s1.child.kill('SIGKILL'));
    await s1.exited;
    assert.ok(acked1.length >= 30, `${acked1.length} batches acknowledged before the kill`);

    const s2 = await serve(dir);
    servers.push(s2);
    const per = await allScored(s2.url, key, sid, 2);
    assertAcked(per, acked1);
    // The scores of an uninterrupted run over the same stored points (keys are independent).
    const reference = createStreamScorer(SPEC);
    for (const pts of per) {
      const want = await reference.pushMany(pts.map((p) => ({ t: p.t, key: p.key, values: { value: p.value } })));
      assert.deepEqual(
        pts.map((p) => [p.score, p.anomaly, p.threshold]),
        want.map((w) => [w.score, w.anomaly, w.threshold]),
      );
    }
    assert.ok(per.flat().some((p) => p.anomaly), 'the spikes are flagged');

    // Graceful: SIGTERM while writers post; requests in flight finish and the process exits 0.
    const next = per.map((pts) => Math.floor((pts[pts.length - 1].t - T0) / 1000 / BATCH) + 1);
    const acked2 = await writers(s2.url, key, sid, 2, next, 10, () => s2.child.kill('SIGTERM'));
    assert.equal(await s2.exited, 0);
    const s3 = await serve(dir);
    servers.push(s3);
    assertAcked(await allScored(s3.url, key, sid, 2), [...acked1, ...acked2]);
    s3.child.kill('SIGTERM');
    assert.equal(await s3.exited, 0);
  } finally {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
