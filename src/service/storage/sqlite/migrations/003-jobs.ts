/** Migration 3 (released: never edit; add 004-... instead): datasets, training jobs and their logs, model versions, streams' served-model history and policies, shadow comparisons. */
export const migration003 = {
  version: 3,
  name: 'jobs',
  sql: `
CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'ndjson')),
  file TEXT NOT NULL, -- relative to the data dir
  bytes INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  columns TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX datasets_team ON datasets(team_id);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('train', 'retrain')),
  spec TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  epoch INTEGER,
  epochs INTEGER,
  loss REAL,
  percent REAL NOT NULL DEFAULT 0,
  error TEXT,
  model_id TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX jobs_team ON jobs(team_id, created_at);
CREATE INDEX jobs_state ON jobs(state);
CREATE TABLE job_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  t INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX job_logs_job ON job_logs(job_id, id);
CREATE TABLE model_versions (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  job_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('tabular', 'series')),
  detector TEXT NOT NULL,
  options TEXT NOT NULL,
  threshold TEXT,
  cutoff REAL,
  columns TEXT NOT NULL,
  metrics TEXT NOT NULL,
  source TEXT NOT NULL,
  file TEXT NOT NULL, -- relative to the data dir
  bytes INTEGER NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX model_versions_team ON model_versions(team_id, created_at);
CREATE TABLE stream_model_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  model_id TEXT, -- the model promoted
  previous_spec TEXT NOT NULL, -- the spec it replaced (what a rollback restores)
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX stream_model_history_stream ON stream_model_history(stream_id, id);
CREATE TABLE stream_policies (
  stream_id TEXT PRIMARY KEY REFERENCES streams(id) ON DELETE CASCADE,
  retrain TEXT,
  retention_days REAL,
  last_retrain_at INTEGER,
  last_retrain_seq INTEGER
);
CREATE TABLE shadow_comparisons (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  job_id TEXT NOT NULL,
  candidate_model_id TEXT NOT NULL,
  served_model_version INTEGER NOT NULL,
  comparison TEXT NOT NULL,
  decision TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'promoted', 'rejected')),
  created_at INTEGER NOT NULL
);
CREATE INDEX shadow_comparisons_stream ON shadow_comparisons(stream_id, created_at);
`,
};
