/**
 * The scorer's thread: it stops cleanly with the service (everything committed scored and
 * checkpointed, the thread gone), and a thread that dies is started again, its scores those of a
 * run without the crash.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { ADMIN, testServer, waitScored, type TestServer } from '../test-server.js';
import { ScorerThread } from './thread-host.js';

const T0 = Date.UTC(2026, 11, 1);
const SPEC = { detector: 'rolling-z', options: { window: 30 }, warmup: 40, threshold: { kind: 'value', value: 3 } };

/** Seeded points over three keys, with a spike now and then. */
function points(from: number, n: number): { t: number; key: string; value: number }[] {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    return { t: T0 + Math.floor(i / 3) * 1000, key: `k${i % 3}`, value: Math.sin(i / 17) + ((i * 7919) % 101) / 200 + (i % 211 === 0 ? 6 : 0) };
  });
}

async function setup(s: TestServer): Promise<{ key: string; id: string }> {
  const key = (await s.call('POST', '/v1/teams', { key: ADMIN, body: { name: 'a' } })).body.key as string;
  const id = (await s.call('POST', '/v1/streams', { key, body: { name: 's', ...SPEC } })).body.id as string;
  return { key, id };
}

async function post(s: TestServer, key: string, id: string, from: number, n: number): Promise<void> {
  const r = await s.call('POST', `/v1/streams/${id}/points`, { key, body: { points: points(from, n) } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
}

const verdicts = (pts: any[]): unknown[] => pts.map((p) => [p.t, p.key, p.score, p.anomaly, p.threshold]);

test('the scorer runs in its own thread and stops with the service: every committed point scored and checkpointed, the thread gone', async () => {
  // No checkpoint but the one at the stop.
  const s = await testServer({ worker: { checkpointMs: 3_600_000, checkpointPoints: 1e9 } });
  const file = join(s.dir, 'vigil.db');
  try {
    const scorer = s.svc.scorer;
    assert.ok(scorer instanceof ScorerThread);
    assert.equal(scorer.alive, true);
    const { key, id } = await setup(s);
    for (let b = 0; b < 5; b++) await post(s, key, id, b * 300, 300);
    await s.svc.close();
    assert.equal(scorer.alive, false);
    assert.equal(scorer.restarts, 0);
    const st = new SqliteStorage(file);
    try {
      const stored = await st.readPoints({ streamId: id, limit: 10_000 });
      assert.equal(stored.length, 1500);
      assert.ok(stored.every((p) => p.score !== null && p.score.error === null));
      const cps = await st.loadCheckpoints();
      assert.deepEqual(
        cps.map((c) => [c.streamId, c.seq]),
        [[id, await st.maxSeq()]],
      );
    } finally {
      await st.close();
    }
  } finally {
    await s.stop();
  }
});

test('a scorer thread that dies is started again from the checkpoints; the scores equal those of a run without the crash', async () => {
  const worker = { checkpointPoints: 250 };
  const plain = await testServer({ worker });
  let want: unknown[];
  try {
    const { key, id } = await setup(plain);
    for (let b = 0; b < 4; b++) await post(plain, key, id, b * 400, 400);
    want = verdicts(await waitScored(plain, key, id, 1600));
  } finally {
    await plain.stop();
  }
  const s = await testServer({ worker });
  try {
    const scorer = s.svc.scorer as ScorerThread;
    const { key, id } = await setup(s);
    await post(s, key, id, 0, 400);
    await post(s, key, id, 400, 400);
    await waitScored(s, key, id, 800);
    await scorer.kill();
    // Committed while the thread is down or starting again.
    await post(s, key, id, 800, 400);
    await post(s, key, id, 1200, 400);
    const got = verdicts(await waitScored(s, key, id, 1600));
    assert.ok(scorer.restarts >= 1, 'the thread was started again');
    assert.equal(scorer.alive, true);
    assert.equal(got.length, 1600);
    assert.deepEqual(got, want);
    assert.ok(want.some((v) => (v as unknown[])[3] === true), 'the data has anomalies to compare');
  } finally {
    await s.stop();
  }
});
