/** The training part of the SQLite storage (see ../jobs.ts), on the storage's own connection. */
import type { Database, Statement } from 'better-sqlite3';
import type { DatasetRecord, JobChange, JobLog, JobRecord, JobState, JobStore, ModelRecord, RetrainPolicy, ShadowRecord, StreamPolicy, WindowPoint } from '../jobs.js';
import { decodeValues } from './point-values.js';

const json = (s: string | null): any => (s === null ? null : JSON.parse(s));

const toDataset = (r: any): DatasetRecord => ({
  id: r.id,
  teamId: r.team_id,
  name: r.name,
  format: r.format,
  file: r.file,
  bytes: r.bytes,
  rows: r.rows,
  columns: json(r.columns),
  createdAt: r.created_at,
});

const toJob = (r: any): JobRecord => ({
  id: r.id,
  teamId: r.team_id,
  kind: r.kind,
  spec: json(r.spec),
  state: r.state,
  epoch: r.epoch,
  epochs: r.epochs,
  loss: r.loss,
  percent: r.percent,
  error: r.error,
  modelId: r.model_id,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

const toModel = (r: any): ModelRecord => ({
  id: r.id,
  teamId: r.team_id,
  jobId: r.job_id,
  kind: r.kind,
  detector: r.detector,
  options: json(r.options),
  threshold: json(r.threshold),
  cutoff: r.cutoff,
  columns: json(r.columns),
  metrics: json(r.metrics),
  source: json(r.source),
  file: r.file,
  bytes: r.bytes,
  label: r.label,
  createdAt: r.created_at,
});

const toPolicy = (r: any): StreamPolicy => ({
  streamId: r.stream_id,
  retrain: json(r.retrain) as RetrainPolicy | null,
  retentionDays: r.retention_days,
  lastRetrainAt: r.last_retrain_at,
  lastRetrainSeq: r.last_retrain_seq,
});

const toShadow = (r: any): ShadowRecord => ({
  id: r.id,
  teamId: r.team_id,
  streamId: r.stream_id,
  jobId: r.job_id,
  candidateModelId: r.candidate_model_id,
  servedModelVersion: r.served_model_version,
  comparison: json(r.comparison),
  decision: json(r.decision),
  status: r.status,
  createdAt: r.created_at,
});

const JOB_COLUMNS: Record<keyof JobChange, string> = {
  state: 'state',
  epoch: 'epoch',
  epochs: 'epochs',
  loss: 'loss',
  percent: 'percent',
  error: 'error',
  modelId: 'model_id',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

export class SqliteJobStore implements JobStore {
  private readonly st: Record<string, Statement>;

  constructor(
    private readonly db: Database,
    /** A write transaction, taken in turn with the other connections (SqliteStorage.write). */
    private readonly write: <T>(fn: () => T) => T,
  ) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.st = {
      createDataset: p('INSERT INTO datasets (id, team_id, name, format, file, bytes, rows, columns, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      getDataset: p('SELECT * FROM datasets WHERE id = ?'),
      listDatasets: p('SELECT * FROM datasets WHERE team_id = ? ORDER BY created_at, id'),
      deleteDataset: p('DELETE FROM datasets WHERE id = ?'),
      createJob: p('INSERT INTO jobs (id, team_id, kind, spec, state, percent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      getJob: p('SELECT * FROM jobs WHERE id = ?'),
      listJobs: p('SELECT * FROM jobs WHERE team_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
      failRunning: p("UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE state = 'running' RETURNING id"),
      addLog: p('INSERT INTO job_logs (job_id, t, message) VALUES (?, ?, ?)'),
      logs: p('SELECT t, message FROM job_logs WHERE job_id = ? ORDER BY id LIMIT ?'),
      createModel: p(
        'INSERT INTO model_versions (id, team_id, job_id, kind, detector, options, threshold, cutoff, columns, metrics, source, file, bytes, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      getModel: p('SELECT * FROM model_versions WHERE id = ?'),
      listModels: p('SELECT * FROM model_versions WHERE team_id = ? ORDER BY created_at, id'),
      pushHistory: p('INSERT INTO stream_model_history (stream_id, model_id, previous_spec, reason, created_at) VALUES (?, ?, ?, ?, ?)'),
      newestHistory: p('SELECT id, model_id, previous_spec FROM stream_model_history WHERE stream_id = ? ORDER BY id DESC LIMIT 1'),
      deleteHistory: p('DELETE FROM stream_model_history WHERE id = ?'),
      getPolicy: p('SELECT * FROM stream_policies WHERE stream_id = ?'),
      listPolicies: p('SELECT * FROM stream_policies'),
      ensurePolicy: p('INSERT INTO stream_policies (stream_id) VALUES (?) ON CONFLICT(stream_id) DO NOTHING'),
      setRetrain: p('UPDATE stream_policies SET retrain = ? WHERE stream_id = ?'),
      setRetention: p('UPDATE stream_policies SET retention_days = ? WHERE stream_id = ?'),
      markRetrained: p('UPDATE stream_policies SET last_retrain_at = ?, last_retrain_seq = ? WHERE stream_id = ?'),
      countAfter: p('SELECT COUNT(*) AS n FROM points WHERE stream_id = ? AND seq > ?'),
      scoresAfter: p('SELECT p.seq AS seq, s.score AS score FROM points p JOIN scores s ON s.seq = p.seq WHERE p.stream_id = ? AND p.seq > ? AND s.score IS NOT NULL ORDER BY p.seq LIMIT ?'),
      saveShadow: p(
        'INSERT INTO shadow_comparisons (id, team_id, stream_id, job_id, candidate_model_id, served_model_version, comparison, decision, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      getShadow: p('SELECT * FROM shadow_comparisons WHERE id = ?'),
      listShadows: p('SELECT * FROM shadow_comparisons WHERE stream_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
      setShadowStatus: p('UPDATE shadow_comparisons SET status = ? WHERE id = ?'),
      deleteOld: p('DELETE FROM points WHERE stream_id = ? AND t < ? AND seq <= ? AND seq IN (SELECT seq FROM scores WHERE scores.seq = points.seq)'),
      checkpointSeq: p('SELECT seq FROM checkpoints WHERE stream_id = ?'),
    };
  }

  async createDataset(d: DatasetRecord): Promise<void> {
    this.st.createDataset!.run(d.id, d.teamId, d.name, d.format, d.file, d.bytes, d.rows, JSON.stringify(d.columns), d.createdAt);
  }
  async getDataset(id: string): Promise<DatasetRecord | null> {
    const r = this.st.getDataset!.get(id);
    return r ? toDataset(r) : null;
  }
  async listDatasets(teamId: string): Promise<DatasetRecord[]> {
    return this.st.listDatasets!.all(teamId).map(toDataset);
  }
  async deleteDataset(id: string): Promise<boolean> {
    return this.st.deleteDataset!.run(id).changes > 0;
  }

  async createJob(j: JobRecord): Promise<void> {
    this.st.createJob!.run(j.id, j.teamId, j.kind, JSON.stringify(j.spec), j.state, j.percent, j.createdAt);
  }
  async getJob(id: string): Promise<JobRecord | null> {
    const r = this.st.getJob!.get(id);
    return r ? toJob(r) : null;
  }
  async listJobs(teamId: string, limit: number): Promise<JobRecord[]> {
    return this.st.listJobs!.all(teamId, limit).map(toJob);
  }
  async jobsIn(states: readonly JobState[]): Promise<JobRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM jobs WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY created_at, id`).all(...states);
    return rows.map(toJob);
  }
  async updateJob(id: string, change: JobChange): Promise<JobRecord | null> {
    const keys = (Object.keys(change) as (keyof JobChange)[]).filter((k) => change[k] !== undefined);
    if (keys.length) {
      const sets = keys.map((k) => `${JOB_COLUMNS[k]} = ?`).join(', ');
      this.db.prepare(`UPDATE jobs SET ${sets} WHERE id = ?`).run(...keys.map((k) => change[k] as string | number | null), id);
    }
    return this.getJob(id);
  }
  async failRunning(error: string, now: number): Promise<string[]> {
    return (this.st.failRunning!.all(error, now) as { id: string }[]).map((r) => r.id);
  }
  async addJobLog(jobId: string, log: JobLog): Promise<void> {
    this.st.addLog!.run(jobId, log.t, log.message);
  }
  async jobLogs(jobId: string, limit: number): Promise<JobLog[]> {
    return this.st.logs!.all(jobId, limit) as JobLog[];
  }

  async createModel(m: ModelRecord): Promise<void> {
    this.st.createModel!.run(
      m.id,
      m.teamId,
      m.jobId,
      m.kind,
      m.detector,
      JSON.stringify(m.options),
      m.threshold && JSON.stringify(m.threshold),
      m.cutoff,
      JSON.stringify(m.columns),
      JSON.stringify(m.metrics),
      JSON.stringify(m.source),
      m.file,
      m.bytes,
      m.label,
      m.createdAt,
    );
  }
  async getModel(id: string): Promise<ModelRecord | null> {
    const r = this.st.getModel!.get(id);
    return r ? toModel(r) : null;
  }
  async listModels(teamId: string): Promise<ModelRecord[]> {
    return this.st.listModels!.all(teamId).map(toModel);
  }

  async pushServedHistory(streamId: string, modelId: string | null, previousSpec: Record<string, unknown>, reason: string): Promise<void> {
    this.st.pushHistory!.run(streamId, modelId, JSON.stringify(previousSpec), reason, Date.now());
  }
  async popServedHistory(streamId: string): Promise<{ modelId: string | null; previousSpec: Record<string, unknown> } | null> {
    return this.write(() => {
      const r = this.st.newestHistory!.get(streamId) as { id: number; model_id: string | null; previous_spec: string } | undefined;
      if (!r) return null;
      this.st.deleteHistory!.run(r.id);
      return { modelId: r.model_id, previousSpec: JSON.parse(r.previous_spec) as Record<string, unknown> };
    });
  }

  async getPolicy(streamId: string): Promise<StreamPolicy | null> {
    const r = this.st.getPolicy!.get(streamId);
    return r ? toPolicy(r) : null;
  }
  async listPolicies(): Promise<StreamPolicy[]> {
    return this.st.listPolicies!.all().map(toPolicy);
  }
  async setPolicy(streamId: string, change: { retrain?: RetrainPolicy | null; retentionDays?: number | null }): Promise<StreamPolicy> {
    this.write(() => {
      this.st.ensurePolicy!.run(streamId);
      if (change.retrain !== undefined) this.st.setRetrain!.run(change.retrain && JSON.stringify(change.retrain), streamId);
      if (change.retentionDays !== undefined) this.st.setRetention!.run(change.retentionDays, streamId);
    });
    return (await this.getPolicy(streamId))!;
  }
  async markRetrained(streamId: string, at: number, seq: number): Promise<void> {
    this.st.ensurePolicy!.run(streamId);
    this.st.markRetrained!.run(at, seq, streamId);
  }
  async countPointsAfter(streamId: string, afterSeq: number): Promise<number> {
    return (this.st.countAfter!.get(streamId, afterSeq) as { n: number }).n;
  }
  async streamWindow(streamId: string, q: { from?: number; to?: number; limit: number }): Promise<WindowPoint[]> {
    const where = ['p.stream_id = ?'];
    const args: (string | number)[] = [streamId];
    if (q.from !== undefined) (where.push('p.t >= ?'), args.push(q.from));
    if (q.to !== undefined) (where.push('p.t <= ?'), args.push(q.to));
    const sql = `SELECT p.seq AS seq, p.t AS t, p.key AS key, p.value AS value, p.vals AS vals, s.score AS score, s.anomaly AS anomaly
      FROM points p LEFT JOIN scores s ON s.seq = p.seq WHERE ${where.join(' AND ')} ORDER BY p.seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, q.limit) as {
      seq: number;
      t: number;
      key: string;
      value: number | null;
      vals: string | null;
      score: number | null;
      anomaly: number | null;
    }[];
    return rows.reverse().map((r) => ({ seq: r.seq, t: r.t, key: r.key, values: decodeValues(r.value, r.vals), score: r.score, anomaly: r.anomaly === 1 }));
  }

  async scoresAfter(streamId: string, afterSeq: number, limit: number): Promise<{ seq: number; score: number }[]> {
    return this.st.scoresAfter!.all(streamId, afterSeq, limit) as { seq: number; score: number }[];
  }

  async saveShadow(s: ShadowRecord): Promise<void> {
    this.st.saveShadow!.run(s.id, s.teamId, s.streamId, s.jobId, s.candidateModelId, s.servedModelVersion, JSON.stringify(s.comparison), s.decision && JSON.stringify(s.decision), s.status, s.createdAt);
  }
  async getShadow(id: string): Promise<ShadowRecord | null> {
    const r = this.st.getShadow!.get(id);
    return r ? toShadow(r) : null;
  }
  async listShadows(streamId: string, limit: number): Promise<ShadowRecord[]> {
    return this.st.listShadows!.all(streamId, limit).map(toShadow);
  }
  async setShadowStatus(id: string, status: ShadowRecord['status']): Promise<void> {
    this.st.setShadowStatus!.run(status, id);
  }

  async deleteOldPoints(streamId: string, beforeT: number, throughSeq: number): Promise<number> {
    return this.st.deleteOld!.run(streamId, beforeT, throughSeq).changes;
  }
  async checkpointSeq(streamId: string): Promise<number> {
    const r = this.st.checkpointSeq!.get(streamId) as { seq: number } | undefined;
    return r?.seq ?? 0;
  }
}
