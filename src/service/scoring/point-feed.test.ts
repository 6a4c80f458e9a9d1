import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { CommittedRun } from '../storage/storage.js';
import { PointFeed, packRuns, type PackedRun } from './point-feed.js';

const run = (firstSeq: number, n: number, streamId = 's'): PackedRun =>
  packRuns([{ streamId, firstSeq, points: Array.from({ length: n }, (_, i) => ({ t: firstSeq + i, key: `k${i % 2}`, values: { value: (firstSeq + i) / 4 } })) }]).runs[0]!;

test('the feed gives the points right after the cursor, across runs, up to the limit; a gap or a miss is null', () => {
  const f = new PointFeed();
  f.add([run(11, 5), run(16, 3)]);
  assert.deepEqual(f.take(12, 4)!.map((p) => [p.seq, p.t, p.key, p.values['value']]), [
    [13, 13, 'k0', 13 / 4],
    [14, 14, 'k1', 14 / 4],
    [15, 15, 'k0', 15 / 4],
    [16, 16, 'k0', 16 / 4],
  ]);
  assert.equal(f.take(5, 10), null, 'points before the first run held: read them from the database');
  f.add([run(30, 2)]);
  assert.deepEqual(f.take(16, 10)!.map((p) => p.seq), [17, 18], 'stops at the gap after 18');
  assert.equal(f.take(18, 10), null, 'seqs 19..29 are not in the feed');
  assert.deepEqual(f.take(29, 10)!.map((p) => p.seq), [30, 31]);
  assert.equal(f.take(31, 10), null);
});

test('past its cap the feed drops its oldest runs, which are then read from the database', () => {
  const f = new PointFeed(10);
  f.add([run(1, 6), run(7, 6)]);
  assert.equal(f.take(0, 10), null);
  assert.deepEqual(f.take(6, 100)!.map((p) => p.seq), [7, 8, 9, 10, 11, 12]);
});

test('what the storage says it committed, fed through, equals what it reads back: seqs, keys, times and values', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-feed-'));
  const st = new SqliteStorage(join(dir, 'v.db'));
  try {
    await st.createTeam({ id: 'tm', name: 't', createdAt: 0 });
    for (const id of ['a', 'b']) await st.createStream({ id, teamId: 'tm', name: id, spec: {}, modelVersion: 1, specSeq: 0, channels: null, createdAt: 0, updatedAt: 0 });
    const feed = new PointFeed();
    const seen: CommittedRun[] = [];
    st.onCommitted((runs) => (seen.push(...runs), feed.add(packRuns(runs).runs)));
    const lone = (n: number, t0: number) => Array.from({ length: n }, (_, i) => ({ t: t0 + i, key: `h${i % 7}`, values: { value: i === 3 ? -0 : Math.sin(i) * 1e3 } }));
    const multi = (n: number, t0: number) => Array.from({ length: n }, (_, i) => ({ t: t0 + i, key: '', values: { cpu: i / 3, mem: -i } }));
    // Calls in one turn commit together; the one going back in time is refused and takes no seqs.
    const calls = [st.appendPoints('a', lone(150, 1000)), st.appendPoints('b', multi(70, 5)), st.appendPoints('a', lone(3, 0)), st.appendPoints('a', lone(65, 2000))];
    const settled = await Promise.allSettled(calls);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    await st.appendPoints('b', multi(1, 100));
    assert.deepEqual(seen.map((r) => [r.streamId, r.firstSeq, r.points.length]), [
      ['a', 1, 150],
      ['b', 151, 70],
      ['a', 221, 65],
      ['b', 286, 1],
    ]);
    for (const [after, limit] of [[0, 1000], [149, 3], [200, 64], [285, 10]] as const) {
      assert.deepEqual(feed.take(after, limit), await st.pointsAfter(after, limit), `after ${after}, limit ${limit}`);
    }
  } finally {
    st.onCommitted(null);
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
