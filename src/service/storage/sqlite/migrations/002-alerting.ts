/** Migration 2 (released: never edit): alert rules, sinks, the alerter's checkpoint, incidents, the delivery outbox, feedback. */
export const migration002 = {
  version: 2,
  name: 'alerting',
  sql: `
CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  stream_id TEXT NOT NULL UNIQUE REFERENCES streams(id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  sinks TEXT NOT NULL,
  recalibrate INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE sinks (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('json', 'slack')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX sinks_team ON sinks(team_id);
CREATE TABLE alerter_state (
  stream_id TEXT PRIMARY KEY REFERENCES streams(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  opened_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  resolved_at INTEGER,
  count INTEGER NOT NULL,
  peak_score REAL,
  peak_at INTEGER NOT NULL,
  peak_threshold REAL,
  acked_at INTEGER,
  seq INTEGER NOT NULL,
  severity TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX incidents_team ON incidents(team_id, opened_at);
CREATE INDEX incidents_stream ON incidents(stream_id, opened_at);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sink_id TEXT NOT NULL REFERENCES sinks(id) ON DELETE CASCADE,
  team_id TEXT NOT NULL,
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  incident_id TEXT NOT NULL,
  event TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER,
  last_error TEXT,
  delivered_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (sink_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_incident ON outbox(incident_id);
CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  stream_id TEXT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
  incident_id TEXT,
  key TEXT,
  from_t INTEGER NOT NULL,
  to_t INTEGER NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('anomaly', 'normal')),
  note TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_stream ON feedback(stream_id, from_t);
`,
};
