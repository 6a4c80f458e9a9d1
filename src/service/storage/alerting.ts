/**
 * The part of the Storage contract that alerting and feedback use: rules, sinks, the alerter's
 * checkpoint, incidents, the delivery outbox and feedback labels. Incident changes, their alerts'
 * outbox rows and the alerter's state are written by one call (`commitAlerting`), in one
 * transaction, so a crash never leaves an incident without its alerts or alerts sent twice.
 */
import type { AlertEventType, AlertRule, DeliveryState, FeedbackLabel, Incident, Severity, SinkFormat, StreamAlerterState } from '../../alerting/index.js';

export interface RuleRecord {
  id: string;
  teamId: string;
  streamId: string;
  rule: AlertRule;
  /** Sinks the stream's alerts go to. */
  sinks: string[];
  /** Recalibrate the stream's threshold after each feedback. */
  recalibrateOnFeedback: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SinkRecord {
  id: string;
  teamId: string;
  name: string;
  url: string;
  secret: string;
  format: SinkFormat;
  createdAt: number;
  updatedAt: number;
}

export interface IncidentRecord extends Incident {
  teamId: string;
  /** The severity last alerted for it (null: never alerted). */
  severity: Severity | null;
  updatedAt: number;
}

export interface AlerterCheckpoint {
  streamId: string;
  /** Every scored point of the stream up to this seq is in `state`. */
  seq: number;
  state: StreamAlerterState;
}

export interface NewDelivery {
  sinkId: string;
  teamId: string;
  streamId: string;
  incidentId: string;
  event: AlertEventType;
  idempotencyKey: string;
  /** The exact bytes to send and sign. */
  body: string;
}

export interface OutboxRow extends NewDelivery {
  id: number;
  delivery: DeliveryState;
  createdAt: number;
}

export interface FeedbackRecord {
  id: string;
  teamId: string;
  streamId: string;
  incidentId: string | null;
  /** The series it labels; null: every series of the stream. */
  key: string | null;
  from: number;
  to: number;
  label: FeedbackLabel;
  note: string | null;
  createdAt: number;
}

export interface AlertingCommit {
  checkpoint: AlerterCheckpoint;
  /** The incidents as of their latest event (an acknowledgement already stored is kept). */
  incidents: IncidentRecord[];
  /** New outbox rows; a row whose (sink, idempotency key) is already there is skipped. */
  deliveries: NewDelivery[];
  now: number;
}

export interface IncidentQuery {
  teamId: string;
  streamId?: string;
  status?: Incident['status'];
  limit: number;
}

export interface AlertStore {
  createRule(r: RuleRecord): Promise<void>;
  getRule(id: string): Promise<RuleRecord | null>;
  /** The stream's rule (one per stream), if any. */
  ruleOfStream(streamId: string): Promise<RuleRecord | null>;
  updateRule(id: string, change: Pick<RuleRecord, 'rule' | 'sinks' | 'recalibrateOnFeedback'>): Promise<RuleRecord | null>;
  deleteRule(id: string): Promise<boolean>;

  createSink(s: SinkRecord): Promise<void>;
  getSink(id: string): Promise<SinkRecord | null>;
  listSinks(teamId: string): Promise<SinkRecord[]>;
  updateSink(id: string, change: Partial<Pick<SinkRecord, 'name' | 'url' | 'secret' | 'format'>>): Promise<SinkRecord | null>;
  /** Deletes the sink with its outbox rows. */
  deleteSink(id: string): Promise<boolean>;

  loadAlerter(streamId: string): Promise<AlerterCheckpoint | null>;
  commitAlerting(c: AlertingCommit): Promise<void>;

  getIncident(id: string): Promise<IncidentRecord | null>;
  listIncidents(q: IncidentQuery): Promise<IncidentRecord[]>;
  /** Open incidents per stream id (streams without any are absent). */
  openIncidentCounts(): Promise<Map<string, number>>;
  /** Sets the acknowledgement time once; later calls keep the first. */
  ackIncident(id: string, t: number): Promise<IncidentRecord | null>;

  /** Pending deliveries due by `now`, oldest first. */
  dueDeliveries(now: number, limit: number): Promise<OutboxRow[]>;
  saveDelivery(id: number, state: DeliveryState): Promise<void>;
  listDeliveries(q: { sinkId?: string; incidentId?: string; limit: number }): Promise<OutboxRow[]>;

  addFeedback(f: FeedbackRecord): Promise<void>;
  listFeedback(streamId: string, limit: number): Promise<FeedbackRecord[]>;
  /** The stream's feedback whose range meets [from, to], newest first. */
  feedbackOverlapping(streamId: string, from: number, to: number): Promise<FeedbackRecord[]>;
  /**
   * The stored score of every scored point some feedback covers, with its label (the newest
   * feedback on a point wins); only points scored by model version `sinceVersion` or a later one.
   */
  labelledScores(streamId: string, sinceVersion: number): Promise<{ seq: number; t: number; key: string; score: number; label: FeedbackLabel }[]>;
}
