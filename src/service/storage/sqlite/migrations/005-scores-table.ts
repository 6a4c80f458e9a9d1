/**
 * Migration 5 (released: never edit; add 006-... instead): scores in a table of their own, and a
 * single value as a number.
 *
 * The scorer wrote each verdict by an UPDATE of its point's row: a B-tree search and a rewrite of
 * a row per point, about a quarter of its time. Verdicts now go into `scores`, keyed by the
 * point's seq, which the scorer writes in seq order: each commit appends to the end of the tree.
 * A point's `stream_id` and `t` are repeated there for the anomaly index only.
 *
 * A point whose only channel is `value` (every `{"t", "value"}` point) keeps it in the REAL column
 * `value`; other points keep their values as a JSON object in `vals`, as before. Encoding and
 * decoding a number is a fraction of a JSON object's cost, on both the ingest and the scorer side.
 *
 * series_last, the newest time of each series, is written once a second instead of on every
 * commit; the setting `series_last_seq` says through which seq it is complete.
 *
 * The points table is rebuilt to drop its score columns and let `vals` be null. Its AUTOINCREMENT
 * counter is carried over, so a seq is never reused (the scorer reads by seq).
 */
export const migration005 = {
  version: 5,
  name: 'scores-table',
  sql: `
CREATE TABLE points_v5 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  t INTEGER NOT NULL,
  value REAL,
  vals TEXT,
  CHECK ((value IS NULL) <> (vals IS NULL))
);
INSERT INTO points_v5 (seq, stream_id, key, t, value, vals) SELECT seq, stream_id, key, t, NULL, vals FROM points;
CREATE TABLE scores (
  seq INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  t INTEGER NOT NULL,
  score REAL,
  anomaly INTEGER NOT NULL,
  threshold REAL,
  channels TEXT,
  model_version INTEGER NOT NULL,
  error TEXT
);
INSERT INTO scores (seq, stream_id, t, score, anomaly, threshold, channels, model_version, error)
  SELECT seq, stream_id, t, score, COALESCE(anomaly, 0), threshold, channels, model_version, error FROM points WHERE model_version IS NOT NULL;
DELETE FROM sqlite_sequence WHERE name = 'points_v5';
UPDATE sqlite_sequence SET name = 'points_v5' WHERE name = 'points';
DROP TABLE points;
ALTER TABLE points_v5 RENAME TO points;
CREATE INDEX points_stream_t ON points(stream_id, t);
CREATE INDEX scores_anomalies ON scores(stream_id, t) WHERE anomaly = 1;
-- series_last is complete up to here (migration 4 wrote it on every commit); from now on it is written every second.
INSERT OR REPLACE INTO settings (name, value) SELECT 'series_last_seq', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM points;
-- A point's score goes with it (retention, a deleted stream's cascade).
CREATE TRIGGER points_delete_score AFTER DELETE ON points BEGIN DELETE FROM scores WHERE seq = old.seq; END;
`,
};
