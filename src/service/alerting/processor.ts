/**
 * Alerting on the scorer's side: after the scorer saves a batch of scores, each stream's points
 * go through its StreamAlerter (the stream's rule; without one, a disabled rule that still groups
 * anomalies into incidents). The incident changes, the outbox rows of their alerts and the
 * alerter's state commit in one transaction, and the state remembers the last seq it took in, so
 * the scorer's replay after a restart (points after its own checkpoint scored again) skips what
 * was already alerted on; and should it not, the replay gives the same idempotency keys, which
 * the outbox stores once. An acknowledged incident alerts no more until it resolves (the core
 * alerter's rule), and a timer (`tick`) resolves the incidents of a stream that went silent.
 * The service runs one processor, beside its scorer (in the scorer's thread, or in process):
 * the timer and the scorer's batches each read, change and commit a stream's alerter state
 * whole, so they take turns.
 */
import { DataError } from '../../core/errors.js';
import { StreamAlerter, alertKey, deliveryBody, type Alert, type AlertRuleInput, type IncidentEvent, type AlertPoint } from '../../alerting/index.js';
import type { EventBus } from '../events/bus.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { IncidentRecord, NewDelivery, RuleRecord, SinkRecord } from '../storage/alerting.js';
import type { PointScore, Storage, StoredPoint, StreamRecord } from '../storage/storage.js';
import { incidentView } from './views.js';

const NO_RULE: AlertRuleInput = { enabled: false };

export interface ProcessorOptions {
  /** The wall clock (ms); tests give their own. */
  clock?: () => number;
  /** How often streams with open incidents are looked at for a quiet period that ended without a new point (ms, default 1000). */
  quietCheckMs?: number;
  /** Counts alerts and incidents per stream. */
  metrics?: Pick<ServiceMetrics, 'alerted' | 'incidentOpened'>;
}

/** A stream's latest point time, and the clock when it was alerted on: the stream's own time goes on from there at the clock's pace. */
interface Seen {
  t: number;
  at: number;
}

export class AlertProcessor {
  private readonly clock: () => number;
  private readonly seen = new Map<string, Seen>();
  /** The clock time before which a stream's quiet check has nothing to resolve (dropped when its points come). */
  private readonly due = new Map<string, number>();
  /** The scorer's batches and the quiet timer take turns: each reads, changes and commits a stream's alerter state whole. */
  private turn: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    /** Called when new outbox rows were committed. */
    private readonly enqueued: () => void,
    private readonly log: (msg: string) => void,
    private readonly o: ProcessorOptions = {},
  ) {
    this.clock = o.clock ?? Date.now;
  }

  /** Starts the quiet timer: a stream that goes silent has its incidents resolved once their quiet period is over. */
  start(): void {
    this.timer = setInterval(() => void this.tick().catch((e: unknown) => this.log(`quiet check: ${(e as Error).stack ?? e}`)), this.o.quietCheckMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.turn.catch(() => {});
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => {});
    return run;
  }

  /** The scorer's hook: the rows of one step and the scores it saved for them. */
  readonly onScored = (rows: readonly StoredPoint[], scores: readonly PointScore[]): Promise<void> => this.serial(() => this.scored(rows, scores));

  private async scored(rows: readonly StoredPoint[], scores: readonly PointScore[]): Promise<void> {
    const at = this.clock();
    const newest = new Map<string, number>();
    for (const row of rows) if (!(row.t <= (newest.get(row.streamId) ?? -Infinity))) newest.set(row.streamId, row.t);
    for (const [streamId, t] of newest) {
      const seen = this.seen.get(streamId);
      if (!seen || t >= seen.t) this.seen.set(streamId, { t, at });
      this.due.delete(streamId);
    }
    const bySeq = new Map(scores.map((s) => [s.seq, s]));
    const byStream = new Map<string, { row: StoredPoint; score: PointScore }[]>();
    for (const row of rows) {
      const score = bySeq.get(row.seq);
      if (!score || score.score === null) continue;
      let list = byStream.get(row.streamId);
      if (!list) byStream.set(row.streamId, (list = []));
      list.push({ row, score });
    }
    for (const [streamId, points] of byStream) {
      try {
        await this.stream(streamId, points);
      } catch (e) {
        this.log(`stream ${streamId}: alerting failed: ${(e as Error).stack ?? e}`);
      }
    }
  }

  /**
   * Resolves the open incidents of streams whose quiet period ended while no point came: a stream's
   * time is taken to go on from its latest point at the clock's pace (so a backfill of old points
   * is not resolved between its requests, only after the quiet period passes on the clock too).
   */
  tick(): Promise<void> {
    return this.serial(async () => {
      const now = this.clock();
      for (const streamId of (await this.storage.alerting.openIncidentCounts()).keys()) {
        if ((this.due.get(streamId) ?? -Infinity) > now) continue;
        try {
          await this.quiet(streamId);
        } catch (e) {
          this.log(`stream ${streamId}: quiet check failed: ${(e as Error).stack ?? e}`);
        }
      }
    });
  }

  private async quiet(streamId: string): Promise<void> {
    const a = this.storage.alerting;
    const [stream, cp, rule] = await Promise.all([this.storage.getStream(streamId), a.loadAlerter(streamId), a.ruleOfStream(streamId)]);
    if (!stream || !cp) {
      this.due.set(streamId, Infinity);
      return;
    }
    const alerter = StreamAlerter.fromJSON(cp.state, rule?.rule ?? NO_RULE);
    const open = alerter.openIncidents();
    if (!open.length) return;
    const now = this.clock();
    let seen = this.seen.get(streamId);
    if (!seen) {
      // Not seen since this process started: its time goes on from its open incidents' latest anomaly, from now.
      seen = { t: Math.max(...open.map((i) => i.lastAt)), at: now };
      this.seen.set(streamId, seen);
    }
    const step = alerter.advance(seen.t + Math.max(0, now - seen.at));
    const left = alerter.openIncidents();
    // The next resolution, on the clock: the earliest remaining incident's quiet end, from where the stream's time is.
    if (left.length) this.due.set(streamId, seen.at + (Math.min(...left.map((i) => i.lastAt)) + alerter.rule.quietSeconds * 1000 - seen.t));
    if (!step.incidents.length) return;
    await this.commit(stream, rule, alerter, cp.seq, step.incidents, step.alerts);
  }

  private async stream(streamId: string, points: { row: StoredPoint; score: PointScore }[]): Promise<void> {
    const a = this.storage.alerting;
    const [stream, cp, rule] = await Promise.all([this.storage.getStream(streamId), a.loadAlerter(streamId), a.ruleOfStream(streamId)]);
    if (!stream) return;
    const ruleInput = rule?.rule ?? NO_RULE;
    const alerter = cp ? StreamAlerter.fromJSON(cp.state, ruleInput) : StreamAlerter.create(streamId, ruleInput);
    const todo = points.filter((p) => p.row.seq > (cp?.seq ?? 0));
    if (!todo.length) return;
    const open = new Set(alerter.openIncidents().map((i) => i.id));
    // No anomaly and nothing open: the alerter would change nothing worth a write (see the end), so it need not look.
    if (!open.size && !todo.some((p) => p.score.anomaly)) return;
    // An acknowledgement is a person's act, stored with the incident: the alerter hears of it before these points.
    if (open.size) {
      for (const i of await a.listIncidents({ teamId: stream.teamId, streamId, status: 'open', limit: 100_000 })) {
        if (i.ackedAt !== null && open.has(i.id)) alerter.ack(i.id, i.ackedAt);
      }
    }
    const events: IncidentEvent[] = [];
    const alerts: Alert[] = [];
    let latest = -Infinity;
    for (const { row, score } of todo) {
      const p: AlertPoint = { t: row.t, key: row.key, score: score.score!, anomaly: score.anomaly, threshold: score.threshold ?? NaN };
      try {
        const step = alerter.observe(p);
        events.push(...step.incidents);
        alerts.push(...step.alerts);
      } catch (e) {
        // Ingest keeps times in order within a key; a point refused here changes nothing.
        if (!(e instanceof DataError)) throw e;
        this.log(`stream ${streamId}: point ${row.seq} not alerted on: ${e.message}`);
      }
      latest = Math.max(latest, row.t);
    }
    // Series of this stream that went quiet while others went on resolve by the stream's own time.
    const quiet = alerter.advance(latest);
    events.push(...quiet.incidents);
    alerts.push(...quiet.alerts);

    // Nothing happened and nothing is open: these points leave no trace worth a write (a replay of them changes nothing either).
    if (!events.length && !alerter.openIncidents().length) return;
    await this.commit(stream, rule, alerter, todo[todo.length - 1]!.row.seq, events, alerts);
  }

  /** The incident changes, their alerts' outbox rows and the alerter's state (through `seq`), in one transaction; then the events. */
  private async commit(stream: StreamRecord, rule: RuleRecord | null, alerter: StreamAlerter, seq: number, events: IncidentEvent[], alerts: Alert[]): Promise<void> {
    const a = this.storage.alerting;
    const streamId = stream.id;
    const now = Date.now();
    const severity = new Map<string, Alert['severity']>();
    for (const al of alerts) severity.set(al.incident.id, al.severity);
    const latestOf = new Map<string, IncidentRecord>();
    for (const e of events) latestOf.set(e.incident.id, { ...e.incident, teamId: stream.teamId, severity: severity.get(e.incident.id) ?? null, updatedAt: now });

    const deliveries: NewDelivery[] = [];
    if (alerts.length && rule) {
      const sinks = (await Promise.all(rule.sinks.map((id) => a.getSink(id)))).filter((s): s is SinkRecord => s !== null && s.teamId === stream.teamId);
      const acked = new Map<string, number | null>();
      for (const id of new Set(alerts.map((al) => al.incident.id))) acked.set(id, (await a.getIncident(id))?.ackedAt ?? null);
      for (const raw of alerts) {
        const al = { ...raw, incident: { ...raw.incident, ackedAt: raw.incident.ackedAt ?? acked.get(raw.incident.id) ?? null } };
        for (const sink of sinks) {
          deliveries.push({
            sinkId: sink.id,
            teamId: stream.teamId,
            streamId,
            incidentId: al.incident.id,
            event: al.type,
            idempotencyKey: alertKey(al),
            body: deliveryBody(al, sink.format, { streamName: stream.name }),
          });
        }
      }
    }
    await a.commitAlerting({ checkpoint: { streamId, seq, state: alerter.toJSON() }, incidents: [...latestOf.values()], deliveries, now });
    for (const al of alerts) this.o.metrics?.alerted(stream.teamId, streamId, al.type);
    for (const e of events) {
      if (e.type === 'incident-opened') this.o.metrics?.incidentOpened(stream.teamId, streamId);
      const stored = latestOf.get(e.incident.id)!;
      this.bus.publish({ type: 'incident', teamId: stream.teamId, streamId, event: e.type, incident: incidentView({ ...stored, ...e.incident }) });
    }
    if (deliveries.length) this.enqueued();
  }
}
