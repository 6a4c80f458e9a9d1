/** Migration 1 (released: never edit; add 002-... instead): teams, keys, streams, points with their scores, scorer checkpoints. */
export const migration001 = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'write', 'read')),
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE streams (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  spec_seq INTEGER NOT NULL DEFAULT 0,
  channels TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX streams_team ON streams(team_id);
CREATE TABLE points (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the scorer reads by seq
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  t INTEGER NOT NULL,
  vals TEXT NOT NULL,
  score REAL,
  anomaly INTEGER,
  threshold REAL,
  channels TEXT,
  model_version INTEGER,
  error TEXT
);
CREATE INDEX points_stream_key_t ON points(stream_id, key, t);
CREATE INDEX points_stream_t ON points(stream_id, t);
CREATE INDEX points_anomalies ON points(stream_id, t) WHERE anomaly = 1;
CREATE TABLE checkpoints (
  stream_id TEXT PRIMARY KEY REFERENCES streams(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  model_version INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`,
};
