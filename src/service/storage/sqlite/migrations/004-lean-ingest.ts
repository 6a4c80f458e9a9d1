/**
 * Migration 4 (released: never edit; add 005-... instead): ingest without the (stream, key, t)
 * index. Its entries sort by key, so a batch over 1,000 series wrote some 1,000 index pages per
 * commit: most of a batched request's time. The newest time of each series, which the time-order
 * check needs after a restart, is kept in `series_last` (one small row per series); reads by key
 * go through (stream, t) and filter.
 */
export const migration004 = {
  version: 4,
  name: 'lean-ingest',
  sql: `
CREATE TABLE series_last (
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  last_t INTEGER NOT NULL,
  PRIMARY KEY (stream_id, key)
) WITHOUT ROWID;
INSERT INTO series_last (stream_id, key, last_t) SELECT stream_id, key, MAX(t) FROM points GROUP BY stream_id, key;
DROP INDEX points_stream_key_t;
`,
};
