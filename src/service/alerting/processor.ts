/**
 * Alerting on the scorer's side: after the scorer saves a batch of scores, each stream's points
 * go through its StreamAlerter (the stream's rule; without one, a disabled rule that still groups
 * anomalies into incidents). The incident changes, the outbox rows of their alerts and the
 * alerter's state commit in one transaction, and the state remembers the last seq it took in, so
 * the scorer's replay after a restart (points after its own checkpoint scored again) skips what
 * was already alerted on; and should it not, the replay gives the same idempotency keys, which
 * the outbox stores once.
 */
import { DataError } from '../../core/errors.js';
import { StreamAlerter, alertKey, deliveryBody, type Alert, type AlertRuleInput, type IncidentEvent, type ScoredPoint } from '../../alerting/index.js';
import type { EventBus } from '../events/bus.js';
import type { IncidentRecord, NewDelivery } from '../storage/alerting.js';
import type { PointScore, Storage, StoredPoint } from '../storage/storage.js';
import { incidentView } from './views.js';

const NO_RULE: AlertRuleInput = { enabled: false };

export class AlertProcessor {
  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    /** Called when new outbox rows were committed. */
    private readonly enqueued: () => void,
    private readonly log: (msg: string) => void,
  ) {}

  /** The scorer's hook: the rows of one step and the scores it saved for them. */
  readonly onScored = async (rows: readonly StoredPoint[], scores: readonly PointScore[]): Promise<void> => {
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
  };

  private async stream(streamId: string, points: { row: StoredPoint; score: PointScore }[]): Promise<void> {
    const a = this.storage.alerting;
    const [stream, cp, rule] = await Promise.all([this.storage.getStream(streamId), a.loadAlerter(streamId), a.ruleOfStream(streamId)]);
    if (!stream) return;
    const ruleInput = rule?.rule ?? NO_RULE;
    const alerter = cp ? StreamAlerter.fromJSON(cp.state, ruleInput) : StreamAlerter.create(streamId, ruleInput);
    const todo = points.filter((p) => p.row.seq > (cp?.seq ?? 0));
    if (!todo.length) return;
    const events: IncidentEvent[] = [];
    const alerts: Alert[] = [];
    let latest = -Infinity;
    for (const { row, score } of todo) {
      const p: ScoredPoint = { t: row.t, key: row.key, score: score.score!, anomaly: score.anomaly, threshold: score.threshold ?? NaN };
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
    const now = Date.now();
    const severity = new Map<string, Alert['severity']>();
    for (const al of alerts) severity.set(al.incident.id, al.severity);
    const latestOf = new Map<string, IncidentRecord>();
    for (const e of events) latestOf.set(e.incident.id, { ...e.incident, teamId: stream.teamId, severity: severity.get(e.incident.id) ?? null, updatedAt: now });

    const deliveries: NewDelivery[] = [];
    if (alerts.length && rule) {
      const sinks = (await Promise.all(rule.sinks.map((id) => a.getSink(id)))).filter((s) => s !== null && s.teamId === stream.teamId);
      // An acknowledgement is a person's act, stored with the incident, not in the alerter's state.
      const acked = new Map<string, number | null>();
      for (const id of new Set(alerts.map((al) => al.incident.id))) acked.set(id, (await a.getIncident(id))?.ackedAt ?? null);
      for (const raw of alerts) {
        const al = { ...raw, incident: { ...raw.incident, ackedAt: raw.incident.ackedAt ?? acked.get(raw.incident.id) ?? null } };
        for (const sink of sinks) {
          deliveries.push({
            sinkId: sink!.id,
            teamId: stream.teamId,
            streamId,
            incidentId: al.incident.id,
            event: al.type,
            idempotencyKey: alertKey(al),
            body: deliveryBody(al, sink!.format, { streamName: stream.name }),
          });
        }
      }
    }
    await a.commitAlerting({ checkpoint: { streamId, seq: todo[todo.length - 1]!.row.seq, state: alerter.toJSON() }, incidents: [...latestOf.values()], deliveries, now });
    for (const e of events) {
      const stored = latestOf.get(e.incident.id)!;
      this.bus.publish({ type: 'incident', teamId: stream.teamId, streamId, event: e.type, incident: incidentView({ ...stored, ...e.incident }) });
    }
    if (deliveries.length) this.enqueued();
  }
}
