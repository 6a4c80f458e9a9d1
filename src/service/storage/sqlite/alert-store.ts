/** The alerting part of the SQLite storage (see ../alerting.ts), on the storage's own connection. */
import type { Database, Statement } from 'better-sqlite3';
import type { AlertRule, DeliveryState, FeedbackLabel, StreamAlerterState } from '../../../alerting/index.js';
import type { AlertStore, AlerterCheckpoint, AlertingCommit, FeedbackRecord, IncidentQuery, IncidentRecord, OutboxRow, RuleRecord, SinkRecord } from '../alerting.js';

interface RuleRow {
  id: string;
  team_id: string;
  stream_id: string;
  rule: string;
  sinks: string;
  recalibrate: number;
  created_at: number;
  updated_at: number;
}
const toRule = (r: RuleRow): RuleRecord => ({
  id: r.id,
  teamId: r.team_id,
  streamId: r.stream_id,
  rule: JSON.parse(r.rule) as AlertRule,
  sinks: JSON.parse(r.sinks) as string[],
  recalibrateOnFeedback: r.recalibrate === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface SinkRow {
  id: string;
  team_id: string;
  name: string;
  url: string;
  secret: string;
  format: SinkRecord['format'];
  created_at: number;
  updated_at: number;
}
const toSink = (r: SinkRow): SinkRecord => ({ id: r.id, teamId: r.team_id, name: r.name, url: r.url, secret: r.secret, format: r.format, createdAt: r.created_at, updatedAt: r.updated_at });

interface IncidentRow {
  id: string;
  team_id: string;
  stream_id: string;
  key: string;
  status: IncidentRecord['status'];
  opened_at: number;
  last_at: number;
  resolved_at: number | null;
  count: number;
  peak_score: number | null;
  peak_at: number;
  peak_threshold: number | null;
  acked_at: number | null;
  seq: number;
  severity: IncidentRecord['severity'];
  updated_at: number;
}
const toIncident = (r: IncidentRow): IncidentRecord => ({
  id: r.id,
  teamId: r.team_id,
  streamId: r.stream_id,
  key: r.key,
  status: r.status,
  openedAt: r.opened_at,
  lastAt: r.last_at,
  resolvedAt: r.resolved_at,
  count: r.count,
  // SQLite stores NaN as NULL.
  peakScore: r.peak_score ?? NaN,
  peakAt: r.peak_at,
  peakThreshold: r.peak_threshold ?? NaN,
  ackedAt: r.acked_at,
  seq: r.seq,
  severity: r.severity,
  updatedAt: r.updated_at,
});

interface OutboxDbRow {
  id: number;
  sink_id: string;
  team_id: string;
  stream_id: string;
  incident_id: string;
  event: OutboxRow['event'];
  idempotency_key: string;
  body: string;
  status: DeliveryState['status'];
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}
const toOutbox = (r: OutboxDbRow): OutboxRow => ({
  id: r.id,
  sinkId: r.sink_id,
  teamId: r.team_id,
  streamId: r.stream_id,
  incidentId: r.incident_id,
  event: r.event,
  idempotencyKey: r.idempotency_key,
  body: r.body,
  delivery: { status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, deliveredAt: r.delivered_at },
  createdAt: r.created_at,
});

interface FeedbackRow {
  id: string;
  team_id: string;
  stream_id: string;
  incident_id: string | null;
  key: string | null;
  from_t: number;
  to_t: number;
  label: FeedbackLabel;
  note: string | null;
  created_at: number;
}
const toFeedback = (r: FeedbackRow): FeedbackRecord => ({
  id: r.id,
  teamId: r.team_id,
  streamId: r.stream_id,
  incidentId: r.incident_id,
  key: r.key,
  from: r.from_t,
  to: r.to_t,
  label: r.label,
  note: r.note,
  createdAt: r.created_at,
});

export class SqliteAlertStore implements AlertStore {
  private readonly st: Record<string, Statement>;

  constructor(
    private readonly db: Database,
    /** A write transaction, taken in turn with the other connections (SqliteStorage.write). */
    private readonly write: <T>(fn: () => T) => T,
  ) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.st = {
      createRule: p('INSERT INTO alert_rules (id, team_id, stream_id, rule, sinks, recalibrate, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      getRule: p('SELECT * FROM alert_rules WHERE id = ?'),
      ruleOfStream: p('SELECT * FROM alert_rules WHERE stream_id = ?'),
      updateRule: p('UPDATE alert_rules SET rule = ?, sinks = ?, recalibrate = ?, updated_at = ? WHERE id = ?'),
      deleteRule: p('DELETE FROM alert_rules WHERE id = ?'),
      createSink: p('INSERT INTO sinks (id, team_id, name, url, secret, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      getSink: p('SELECT * FROM sinks WHERE id = ?'),
      listSinks: p('SELECT * FROM sinks WHERE team_id = ? ORDER BY created_at, id'),
      updateSink: p('UPDATE sinks SET name = ?, url = ?, secret = ?, format = ?, updated_at = ? WHERE id = ?'),
      deleteSink: p('DELETE FROM sinks WHERE id = ?'),
      loadAlerter: p('SELECT stream_id, seq, state FROM alerter_state WHERE stream_id = ?'),
      saveAlerter: p(
        `INSERT INTO alerter_state (stream_id, seq, state, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(stream_id) DO UPDATE SET seq = excluded.seq, state = excluded.state, updated_at = excluded.updated_at`,
      ),
      upsertIncident: p(
        `INSERT INTO incidents (id, team_id, stream_id, key, status, opened_at, last_at, resolved_at, count, peak_score, peak_at, peak_threshold, acked_at, seq, severity, updated_at)
         VALUES (@id, @teamId, @streamId, @key, @status, @openedAt, @lastAt, @resolvedAt, @count, @peakScore, @peakAt, @peakThreshold, @ackedAt, @seq, @severity, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, last_at = excluded.last_at, resolved_at = excluded.resolved_at, count = excluded.count,
           peak_score = excluded.peak_score, peak_at = excluded.peak_at, peak_threshold = excluded.peak_threshold,
           acked_at = COALESCE(incidents.acked_at, excluded.acked_at), seq = excluded.seq,
           severity = COALESCE(excluded.severity, incidents.severity), updated_at = excluded.updated_at`,
      ),
      insertDelivery: p(
        `INSERT OR IGNORE INTO outbox (sink_id, team_id, stream_id, incident_id, event, idempotency_key, body, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      ),
      getIncident: p('SELECT * FROM incidents WHERE id = ?'),
      openIncidentCounts: p("SELECT stream_id, COUNT(*) AS n FROM incidents WHERE status = 'open' GROUP BY stream_id"),
      ackIncident: p('UPDATE incidents SET acked_at = COALESCE(acked_at, ?) WHERE id = ?'),
      dueDeliveries: p("SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"),
      saveDelivery: p('UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE id = ?'),
      addFeedback: p('INSERT INTO feedback (id, team_id, stream_id, incident_id, key, from_t, to_t, label, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      listFeedback: p('SELECT * FROM feedback WHERE stream_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
      feedbackOverlapping: p('SELECT * FROM feedback WHERE stream_id = ? AND from_t <= ? AND to_t >= ? ORDER BY created_at DESC, rowid DESC'),
      labelledScores: p(
        `SELECT p.seq AS seq, p.t AS t, p.key AS key, s.score AS score, f.label AS label
         FROM feedback f JOIN points p ON p.stream_id = f.stream_id AND p.t BETWEEN f.from_t AND f.to_t AND (f.key IS NULL OR p.key = f.key)
         JOIN scores s ON s.seq = p.seq
         WHERE f.stream_id = ? AND s.score IS NOT NULL AND s.model_version >= ?
         ORDER BY p.seq, f.created_at DESC, f.rowid DESC`,
      ),
    };
  }

  async createRule(r: RuleRecord): Promise<void> {
    this.st.createRule!.run(r.id, r.teamId, r.streamId, JSON.stringify(r.rule), JSON.stringify(r.sinks), r.recalibrateOnFeedback ? 1 : 0, r.createdAt, r.updatedAt);
  }
  async getRule(id: string): Promise<RuleRecord | null> {
    const r = this.st.getRule!.get(id) as RuleRow | undefined;
    return r ? toRule(r) : null;
  }
  async ruleOfStream(streamId: string): Promise<RuleRecord | null> {
    const r = this.st.ruleOfStream!.get(streamId) as RuleRow | undefined;
    return r ? toRule(r) : null;
  }
  async updateRule(id: string, c: Pick<RuleRecord, 'rule' | 'sinks' | 'recalibrateOnFeedback'>): Promise<RuleRecord | null> {
    this.st.updateRule!.run(JSON.stringify(c.rule), JSON.stringify(c.sinks), c.recalibrateOnFeedback ? 1 : 0, Date.now(), id);
    return this.getRule(id);
  }
  async deleteRule(id: string): Promise<boolean> {
    return this.st.deleteRule!.run(id).changes > 0;
  }

  async createSink(s: SinkRecord): Promise<void> {
    this.st.createSink!.run(s.id, s.teamId, s.name, s.url, s.secret, s.format, s.createdAt, s.updatedAt);
  }
  async getSink(id: string): Promise<SinkRecord | null> {
    const r = this.st.getSink!.get(id) as SinkRow | undefined;
    return r ? toSink(r) : null;
  }
  async listSinks(teamId: string): Promise<SinkRecord[]> {
    return (this.st.listSinks!.all(teamId) as SinkRow[]).map(toSink);
  }
  async updateSink(id: string, c: Partial<Pick<SinkRecord, 'name' | 'url' | 'secret' | 'format'>>): Promise<SinkRecord | null> {
    const s = await this.getSink(id);
    if (!s) return null;
    this.st.updateSink!.run(c.name ?? s.name, c.url ?? s.url, c.secret ?? s.secret, c.format ?? s.format, Date.now(), id);
    return this.getSink(id);
  }
  async deleteSink(id: string): Promise<boolean> {
    return this.st.deleteSink!.run(id).changes > 0;
  }

  async loadAlerter(streamId: string): Promise<AlerterCheckpoint | null> {
    const r = this.st.loadAlerter!.get(streamId) as { stream_id: string; seq: number; state: string } | undefined;
    return r ? { streamId: r.stream_id, seq: r.seq, state: JSON.parse(r.state) as StreamAlerterState } : null;
  }

  async commitAlerting(c: AlertingCommit): Promise<void> {
    this.write(() => {
      for (const i of c.incidents) this.st.upsertIncident!.run({ ...i, peakScore: finiteOrNull(i.peakScore), peakThreshold: finiteOrNull(i.peakThreshold) });
      for (const d of c.deliveries) this.st.insertDelivery!.run(d.sinkId, d.teamId, d.streamId, d.incidentId, d.event, d.idempotencyKey, d.body, c.now, c.now);
      this.st.saveAlerter!.run(c.checkpoint.streamId, c.checkpoint.seq, JSON.stringify(c.checkpoint.state), c.now);
    });
  }

  async getIncident(id: string): Promise<IncidentRecord | null> {
    const r = this.st.getIncident!.get(id) as IncidentRow | undefined;
    return r ? toIncident(r) : null;
  }
  async listIncidents(q: IncidentQuery): Promise<IncidentRecord[]> {
    const where = ['team_id = ?'];
    const args: (string | number)[] = [q.teamId];
    if (q.streamId !== undefined) (where.push('stream_id = ?'), args.push(q.streamId));
    if (q.status !== undefined) (where.push('status = ?'), args.push(q.status));
    const rows = this.db.prepare(`SELECT * FROM incidents WHERE ${where.join(' AND ')} ORDER BY opened_at DESC, id LIMIT ?`).all(...args, q.limit) as IncidentRow[];
    return rows.map(toIncident);
  }
  async openIncidentCounts(): Promise<Map<string, number>> {
    const rows = this.st.openIncidentCounts!.all() as { stream_id: string; n: number }[];
    return new Map(rows.map((r) => [r.stream_id, r.n]));
  }
  async ackIncident(id: string, t: number): Promise<IncidentRecord | null> {
    this.st.ackIncident!.run(t, id);
    return this.getIncident(id);
  }

  async dueDeliveries(now: number, limit: number): Promise<OutboxRow[]> {
    return (this.st.dueDeliveries!.all(now, limit) as OutboxDbRow[]).map(toOutbox);
  }
  async saveDelivery(id: number, d: DeliveryState): Promise<void> {
    this.st.saveDelivery!.run(d.status, d.attempts, d.nextAttemptAt, d.lastError, d.deliveredAt, id);
  }
  async listDeliveries(q: { sinkId?: string; incidentId?: string; limit: number }): Promise<OutboxRow[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.sinkId !== undefined) (where.push('sink_id = ?'), args.push(q.sinkId));
    if (q.incidentId !== undefined) (where.push('incident_id = ?'), args.push(q.incidentId));
    const sql = `SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as OutboxDbRow[]).map(toOutbox);
  }

  async addFeedback(f: FeedbackRecord): Promise<void> {
    this.st.addFeedback!.run(f.id, f.teamId, f.streamId, f.incidentId, f.key, f.from, f.to, f.label, f.note, f.createdAt);
  }
  async listFeedback(streamId: string, limit: number): Promise<FeedbackRecord[]> {
    return (this.st.listFeedback!.all(streamId, limit) as FeedbackRow[]).map(toFeedback);
  }
  async feedbackOverlapping(streamId: string, from: number, to: number): Promise<FeedbackRecord[]> {
    return (this.st.feedbackOverlapping!.all(streamId, to, from) as FeedbackRow[]).map(toFeedback);
  }
  async labelledScores(streamId: string, sinceVersion: number): Promise<{ seq: number; t: number; key: string; score: number; label: FeedbackLabel }[]> {
    const rows = this.st.labelledScores!.all(streamId, sinceVersion) as { seq: number; t: number; key: string; score: number; label: FeedbackLabel }[];
    // Rows come newest feedback first within each point: keep the first of each.
    const out: typeof rows = [];
    for (const r of rows) if (out[out.length - 1]?.seq !== r.seq) out.push(r);
    return out;
  }
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
