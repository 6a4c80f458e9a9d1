import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { PointRejected, type StreamRecord } from '../storage.js';
import { MIGRATIONS } from './migrations/index.js';
import { SqliteStorage } from './sqlite-storage.js';

function fresh(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
  return { dir, file: join(dir, 'v.db') };
}

async function withStream(st: SqliteStorage, id = 'st_1'): Promise<string> {
  if (!(await st.getTeam('tm_1'))) await st.createTeam({ id: 'tm_1', name: 't', createdAt: 0 });
  const s: StreamRecord = { id, teamId: 'tm_1', name: id, spec: { detector: 'ewma' }, modelVersion: 1, specSeq: 0, channels: null, createdAt: 0, updatedAt: 0 };
  await st.createStream(s);
  return id;
}

const pt = (t: number, value = 1, key = '') => ({ t, key, values: { value } });

test('appends made together commit together, each checked alone: a bad one is refused whole, the others stored', async () => {
  const { dir, file } = fresh();
  const st = new SqliteStorage(file);
  try {
    const id = await withStream(st);
    const results = await Promise.allSettled([
      st.appendPoints(id, [pt(1), pt(2)]),
      st.appendPoints(id, [pt(3), pt(1.5)]), // goes back within its own request
      st.appendPoints(id, [pt(1.5)]), // goes back against the first call of this group
      st.appendPoints(id, [pt(4, 1, 'other'), pt(3)]),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    const err = (results[1] as PromiseRejectedResult).reason;
    assert.ok(err instanceof PointRejected);
    assert.deepEqual([err.index, err.field], [1, 't']);
    const stored = await st.readPoints({ streamId: id, limit: 100 });
    assert.deepEqual(
      stored.map((p) => [p.t, p.key]),
      [
        [1, ''],
        [2, ''],
        [3, ''],
        [4, 'other'],
      ],
    );
    await assert.rejects(st.appendPoints(id, [{ t: 9, key: '', values: { a: 1, b: 2 } }]), /point 0: values: channels/);
  } finally {
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after reopening, times are checked against what is stored; seqs are never reused after a delete', async () => {
  const { dir, file } = fresh();
  let st = new SqliteStorage(file);
  try {
    const id = await withStream(st);
    await st.appendPoints(id, [pt(10), pt(20, 1, 'k')]);
    await st.close();
    st = new SqliteStorage(file);
    await assert.rejects(st.appendPoints(id, [pt(5)]), PointRejected);
    await st.appendPoints(id, [pt(10), pt(5, 1, 'j')]);
    const before = await st.maxSeq();
    assert.equal(before, 4);
    await st.deleteStream(id);
    const id2 = await withStream(st, 'st_2');
    await st.appendPoints(id2, [pt(1)]);
    const after = await st.pointsAfter(before, 10);
    assert.deepEqual(
      after.map((p) => [p.seq, p.streamId]),
      [[5, 'st_2']],
    );
  } finally {
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a large append is stored whole and in order (rows go in several to a statement)', async () => {
  const { dir, file } = fresh();
  const st = new SqliteStorage(file);
  try {
    const id = await withStream(st);
    const n = 64 * 3 + 7;
    await st.appendPoints(id, Array.from({ length: n }, (_, i) => pt(100 + Math.floor(i / 3), i, `k${i % 3}`)));
    const stored = await st.readPoints({ streamId: id, limit: 1000 });
    assert.equal(stored.length, n);
    assert.deepEqual(
      stored.map((p) => [p.seq, p.t, p.key, p.values['value']]),
      Array.from({ length: n }, (_, i) => [i + 1, 100 + Math.floor(i / 3), `k${i % 3}`, i]),
    );
    // A read by key (through the stream's time index, filtered): the newest two of k1.
    const k1 = [...Array(n).keys()].filter((i) => i % 3 === 1);
    assert.deepEqual(
      (await st.readPoints({ streamId: id, key: 'k1', limit: 2, latest: true })).map((p) => p.values['value']),
      k1.slice(-2),
    );
  } finally {
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database from before migration 4 keeps each series newest time for the time-order check', async () => {
  const { dir, file } = fresh();
  const db = new BetterSqlite3(file);
  db.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version <= 3)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO migrations VALUES (?, ?, 0)').run(m.version, m.name);
  }
  db.exec(`INSERT INTO teams VALUES ('tm_1', 't', 0);
    INSERT INTO streams (id, team_id, name, spec, model_version, created_at, updated_at) VALUES ('st_1', 'tm_1', 's', '{}', 1, 0, 0);
    INSERT INTO points (stream_id, key, t, vals) VALUES ('st_1', 'a', 10, '{"value":1}'), ('st_1', 'a', 30, '{"value":1}'), ('st_1', 'b', 5, '{"value":1}');`);
  db.close();
  const st = new SqliteStorage(file);
  try {
    await assert.rejects(st.appendPoints('st_1', [pt(20, 1, 'a')]), /goes back within key 'a' \(after 30\)/);
    await st.appendPoints('st_1', [pt(30, 1, 'a'), pt(6, 1, 'b')]);
    assert.deepEqual(
      (await st.seriesKeys('st_1')).map((k) => [k.key, k.points, k.lastT]),
      [
        ['a', 3, 30],
        ['b', 2, 6],
      ],
    );
  } finally {
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
