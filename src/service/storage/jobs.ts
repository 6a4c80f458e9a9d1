/**
 * The part of the Storage contract that training uses: datasets, jobs and their logs, model
 * versions, which model a stream was served before (for a roll back), streams' retrain and
 * retention policies, shadow comparisons, and the retention sweep's delete.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type JobKind = 'train' | 'retrain';

export interface DatasetRecord {
  id: string;
  teamId: string;
  name: string;
  format: 'csv' | 'ndjson';
  /** Relative to the data dir. */
  file: string;
  bytes: number;
  rows: number;
  columns: string[];
  createdAt: number;
}

export interface JobRecord {
  id: string;
  teamId: string;
  kind: JobKind;
  /** What to train on and how (the request, resolved): see service/jobs/spec.ts. */
  spec: Record<string, unknown>;
  state: JobState;
  epoch: number | null;
  epochs: number | null;
  loss: number | null;
  /** 0..100 */
  percent: number;
  error: string | null;
  modelId: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type JobChange = Partial<Pick<JobRecord, 'state' | 'epoch' | 'epochs' | 'loss' | 'percent' | 'error' | 'modelId' | 'startedAt' | 'finishedAt'>>;

export interface JobLog {
  t: number;
  message: string;
}

export interface ModelRecord {
  id: string;
  teamId: string;
  jobId: string | null;
  kind: 'tabular' | 'series';
  detector: string;
  options: Record<string, unknown>;
  threshold: Record<string, unknown> | null;
  cutoff: number | null;
  columns: string[];
  metrics: Record<string, unknown>;
  /** The training data: a dataset id, or a stream and a time range. */
  source: Record<string, unknown>;
  /** Relative to the data dir. */
  file: string;
  bytes: number;
  label: string | null;
  createdAt: number;
}

export interface RetrainPolicy {
  everyPoints?: number;
  everyHours?: number;
  onDrift?: boolean;
  driftWatch?: { kind: string; options: Record<string, unknown> };
  autoPromote?: Record<string, unknown>;
  detector?: string;
  options?: Record<string, unknown>;
  threshold?: Record<string, unknown>;
  points?: number;
}

export interface StreamPolicy {
  streamId: string;
  retrain: RetrainPolicy | null;
  retentionDays: number | null;
  lastRetrainAt: number | null;
  lastRetrainSeq: number | null;
}

export interface ShadowRecord {
  id: string;
  teamId: string;
  streamId: string;
  jobId: string;
  candidateModelId: string;
  servedModelVersion: number;
  comparison: Record<string, unknown>;
  decision: Record<string, unknown> | null;
  status: 'pending' | 'promoted' | 'rejected';
  createdAt: number;
}

/** A point of a stream as training and shadow scoring read it, with the verdict it was given. */
export interface WindowPoint {
  seq: number;
  t: number;
  key: string;
  values: Record<string, number>;
  score: number | null;
  anomaly: boolean;
}

export interface JobStore {
  createDataset(d: DatasetRecord): Promise<void>;
  getDataset(id: string): Promise<DatasetRecord | null>;
  listDatasets(teamId: string): Promise<DatasetRecord[]>;
  deleteDataset(id: string): Promise<boolean>;

  createJob(j: JobRecord): Promise<void>;
  getJob(id: string): Promise<JobRecord | null>;
  listJobs(teamId: string, limit: number): Promise<JobRecord[]>;
  /** Jobs in these states, oldest first (the queue after a restart). */
  jobsIn(states: readonly JobState[]): Promise<JobRecord[]>;
  updateJob(id: string, change: JobChange): Promise<JobRecord | null>;
  /** Every job left `running` (by a crash) becomes failed with this error; returns their ids. */
  failRunning(error: string, now: number): Promise<string[]>;
  addJobLog(jobId: string, log: JobLog): Promise<void>;
  jobLogs(jobId: string, limit: number): Promise<JobLog[]>;

  createModel(m: ModelRecord): Promise<void>;
  getModel(id: string): Promise<ModelRecord | null>;
  listModels(teamId: string): Promise<ModelRecord[]>;

  /** Records that `modelId` (null: a spec without a model) replaced `previousSpec` on the stream. */
  pushServedHistory(streamId: string, modelId: string | null, previousSpec: Record<string, unknown>, reason: string): Promise<void>;
  /** Takes the newest history entry off (a roll back restores its previousSpec); null when there is none. */
  popServedHistory(streamId: string): Promise<{ modelId: string | null; previousSpec: Record<string, unknown> } | null>;

  getPolicy(streamId: string): Promise<StreamPolicy | null>;
  listPolicies(): Promise<StreamPolicy[]>;
  setPolicy(streamId: string, change: { retrain?: RetrainPolicy | null; retentionDays?: number | null }): Promise<StreamPolicy>;
  markRetrained(streamId: string, at: number, seq: number): Promise<void>;
  /** Points of the stream with seq above `afterSeq`. */
  countPointsAfter(streamId: string, afterSeq: number): Promise<number>;
  /** The newest `limit` points of a stream (optionally within [from, to]), oldest first, with their verdicts. */
  streamWindow(streamId: string, q: { from?: number; to?: number; limit: number }): Promise<WindowPoint[]>;

  /** Scores of the stream's scored points with seq above `afterSeq`, in seq order (what the drift watch of retraining reads). */
  scoresAfter(streamId: string, afterSeq: number, limit: number): Promise<{ seq: number; score: number }[]>;

  saveShadow(s: ShadowRecord): Promise<void>;
  getShadow(id: string): Promise<ShadowRecord | null>;
  listShadows(streamId: string, limit: number): Promise<ShadowRecord[]>;
  setShadowStatus(id: string, status: ShadowRecord['status']): Promise<void>;

  /**
   * Deletes the stream's points older than `beforeT` that are scored and inside its newest
   * checkpoint (seq at most `throughSeq`); returns how many went.
   */
  deleteOldPoints(streamId: string, beforeT: number, throughSeq: number): Promise<number>;
  /** The seq of a stream's newest checkpoint (0 without one). */
  checkpointSeq(streamId: string): Promise<number>;
}
