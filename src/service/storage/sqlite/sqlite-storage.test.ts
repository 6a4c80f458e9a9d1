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

/** A database as an older vigil left it: migrations up to `version`, with team tm_1 and its stream st_1. */
function databaseAt(file: string, version: number): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO migrations VALUES (?, ?, 0)').run(m.version, m.name);
  }
  db.exec(`INSERT INTO teams VALUES ('tm_1', 't', 0);
    INSERT INTO streams (id, team_id, name, spec, model_version, created_at, updated_at) VALUES ('st_1', 'tm_1', 's', '{}', 1, 0, 0);`);
  return db;
}

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
  const db = databaseAt(file, 3);
  db.exec(`    INSERT INTO points (stream_id, key, t, vals) VALUES ('st_1', 'a', 10, '{"value":1}'), ('st_1', 'a', 30, '{"value":1}'), ('st_1', 'b', 5, '{"value":1}');`);
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

test('after a crash the time-order check folds in the points series_last had not caught up with', async () => {
  const { dir, file } = fresh();
  // Never writes series_last while running, and is never closed before the restart: what a kill -9 leaves.
  const crashed = new SqliteStorage(file, { seriesLastMs: Infinity });
  try {
    const id = await withStream(crashed);
    await crashed.appendPoints(id, [pt(10, 1, 'a'), pt(5, 1, 'b')]);
    await crashed.appendPoints(id, [pt(30, 2, 'a'), pt(7, 1, 'c')]);
    const restarted = new SqliteStorage(file);
    await assert.rejects(restarted.appendPoints(id, [pt(20, 1, 'a')]), /goes back within key 'a' \(after 30\)/);
    await assert.rejects(restarted.appendPoints(id, [pt(4, 1, 'b')]), /goes back within key 'b' \(after 5\)/);
    await restarted.appendPoints(id, [pt(30, 1, 'a'), pt(6, 1, 'b'), pt(8, 1, 'c')]);
    // A clean stop writes series_last whole: the next start needs no fold-in and still knows every series.
    await restarted.close();
    const again = new SqliteStorage(file);
    await assert.rejects(again.appendPoints(id, [pt(7, 1, 'c')]), /goes back within key 'c' \(after 8\)/);
    await again.appendPoints(id, [pt(31, 1, 'a')]);
    assert.deepEqual(
      (await again.seriesKeys(id)).map((k) => [k.key, k.points, k.lastT]),
      [
        ['a', 4, 31],
        ['b', 2, 6],
        ['c', 2, 8],
      ],
    );
    await again.close();
  } finally {
    await crashed.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migration 5 keeps a database stored points with their scores, and seqs are never reused', async () => {
  const { dir, file } = fresh();
  const db = databaseAt(file, 4);
  db.exec(`    INSERT INTO points (stream_id, key, t, vals, score, anomaly, threshold, channels, model_version) VALUES
      ('st_1', 'a', 10, '{"value":1.5}', 0.25, 0, 3, NULL, 1),
      ('st_1', 'a', 20, '{"cpu":0.5,"mem":0.25}', 4.5, 1, 3, '{"cpu":4.5,"mem":0.1}', 1),
      ('st_1', 'a', 30, '{"value":2}', NULL, NULL, NULL, NULL, NULL),
      ('st_1', 'a', 40, '{"value":9}', NULL, NULL, NULL, NULL, NULL);
    INSERT INTO series_last VALUES ('st_1', 'a', 40);
    DELETE FROM points WHERE t = 40;`);
  db.close();
  const st = new SqliteStorage(file);
  try {
    const read = await st.readPoints({ streamId: 'st_1', limit: 10 });
    assert.deepEqual(
      read.map((p) => [p.seq, p.t, p.values, p.score && [p.score.score, p.score.anomaly, p.score.channels, p.score.modelVersion]]),
      [
        [1, 10, { value: 1.5 }, [0.25, false, null, 1]],
        [2, 20, { cpu: 0.5, mem: 0.25 }, [4.5, true, { cpu: 4.5, mem: 0.1 }, 1]],
        [3, 30, { value: 2 }, null],
      ],
    );
    const [stats] = await st.streamStats(['st_1'], 0);
    assert.deepEqual([stats!.points, stats!.scored, stats!.anomaliesDay, stats!.lastThreshold], [3, 2, 1, 3]);
    await st.appendPoints('st_1', [pt(41, 1, 'a')]);
    assert.deepEqual((await st.pointsAfter(3, 10)).map((p) => [p.seq, p.t]), [[5, 41]]);
    // The scorer's replay writes a point's score again: it replaces the stored one.
    await st.saveScores([{ seq: 3, score: 1, anomaly: false, threshold: 3, channels: null, modelVersion: 1, error: null }]);
    await st.saveScores([{ seq: 3, score: 2, anomaly: true, threshold: 3, channels: null, modelVersion: 1, error: null }]);
    const p3 = (await st.readPoints({ streamId: 'st_1', from: 30, to: 30, limit: 1 }))[0]!;
    assert.deepEqual([p3.score!.score, p3.score!.anomaly], [2, true]);
  } finally {
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a score goes with its point, and a score for a point already gone is not stored', async () => {
  const { dir, file } = fresh();
  const st = new SqliteStorage(file);
  try {
    const id = await withStream(st);
    await st.appendPoints(id, [pt(1), pt(2), pt(3)]);
    const score = (seq: number) => ({ seq, score: seq, anomaly: seq === 2, threshold: 1.5, channels: null, modelVersion: 1, error: null });
    await st.saveScores([1, 2, 3].map(score));
    assert.equal((await st.jobs.deleteOldPoints(id, 3, 3)), 2);
    assert.deepEqual((await st.readPoints({ streamId: id, limit: 10 })).map((p) => [p.seq, p.score?.score]), [[3, 3]]);
    assert.equal((await st.streamStats([id], 0))[0]!.anomaliesDay, 0, "the deleted anomaly's score went with it");
    await st.deleteStream(id);
    await st.saveScores([score(3)]);
    const peek = new BetterSqlite3(file, { readonly: true });
    assert.deepEqual(peek.prepare('SELECT COUNT(*) AS n FROM scores').get(), { n: 0 });
    peek.close();
  } finally {
    await st.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
