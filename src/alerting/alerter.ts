/**
 * One stream's alerting: its points go to the incident tracker (grouping) and to the rule
 * evaluator (whether and how loudly to tell someone), and what comes out is the incident events
 * to store and the alerts to deliver. An alert belongs to an incident: `alert-fired` when the rule
 * first qualifies within it, `alert-escalated` when its severity rises, `alert-resolved` when an
 * incident that was alerted resolves (never rate-limited: it closes what was already sent). Each
 * alert carries the sequence number of the incident event it came with, so the same points always
 * give the same alerts, and `idempotencyKey` tells a redelivery from a new alert.
 *
 * An acknowledged incident is silenced: no alert for it (no escalation, and no first alert if the
 * rule had not fired yet) until it resolves, and what it holds back takes nothing from the rule's
 * hourly budget. Its resolution is still sent when something was sent for it before (it closes
 * the page a receiver holds open), and not when nothing was. The next incident of the series
 * alerts again.
 */
import { IncidentTracker, type Incident, type IncidentEvent, type IncidentTrackerState } from './incidents.js';
import { RuleEvaluator, parseAlertRule, type AlertRule, type AlertRuleInput, type RuleDecision, type RuleEvaluatorState, type Severity } from './rules.js';
import type { AlertPoint } from './alert-point.js';
import { FormatError } from '../core/errors.js';

export type AlertEventType = 'alert-fired' | 'alert-escalated' | 'alert-resolved';

export interface Alert {
  type: AlertEventType;
  /** The sequence number of the incident event this alert came with (unique within the incident). */
  seq: number;
  /** The point's time, or the incident's resolution time. */
  t: number;
  severity: Severity;
  incident: Incident;
}

export interface AlerterStep {
  incidents: IncidentEvent[];
  /** The rule's decisions, including suppressions (which deliver nothing but are worth showing). */
  decisions: RuleDecision[];
  alerts: Alert[];
}

export interface StreamAlerterState {
  format: 'vigil-stream-alerter';
  version: 1;
  incidents: IncidentTrackerState;
  rules: RuleEvaluatorState;
  /** Open incidents whose first alert was held back by an acknowledgement (absent in older states: none). */
  silenced?: string[];
}

export class StreamAlerter {
  private constructor(
    private readonly tracker: IncidentTracker,
    private readonly rules: RuleEvaluator,
    private readonly silenced = new Set<string>(),
  ) {}

  static create(streamId: string, rule: AlertRuleInput | AlertRule = {}): StreamAlerter {
    const r = new RuleEvaluator(rule);
    return new StreamAlerter(new IncidentTracker({ streamId, quietSeconds: r.rule.quietSeconds }), r);
  }

  get rule(): AlertRule {
    return this.rules.rule;
  }

  observe(p: AlertPoint): AlerterStep {
    const incidents = this.tracker.observe(p);
    const alerts = this.resolutions(incidents);
    // What the rule decides for an acknowledged incident is held back below, so it must not spend the hour's budget.
    const decisions = this.rules.observe(p, this.tracker.openFor(p.key)?.ackedAt != null);
    for (const d of decisions) {
      if (d.kind === 'suppress') continue;
      const incident = this.tracker.openFor(d.key)!;
      if (incident.ackedAt !== null) {
        if (d.kind === 'fire') this.silenced.add(incident.id);
        continue;
      }
      alerts.push({ type: d.kind === 'fire' ? 'alert-fired' : 'alert-escalated', seq: incident.seq - 1, t: d.t, severity: d.severity, incident });
    }
    return { incidents, decisions, alerts };
  }

  /** Resolves the incidents whose quiet period ended by `now` (the points' time base). */
  advance(now: number): AlerterStep {
    const incidents = this.tracker.advance(now);
    return { incidents, decisions: [], alerts: this.resolutions(incidents) };
  }

  /** Acknowledges an open incident (the first time is kept): it alerts no more until it resolves. */
  ack(id: string, t: number): Incident {
    return this.tracker.ack(id, t);
  }

  openIncidents(): Incident[] {
    return this.tracker.openIncidents();
  }

  private resolutions(events: IncidentEvent[]): Alert[] {
    const out: Alert[] = [];
    for (const e of events) {
      if (e.type !== 'incident-resolved') continue;
      const severity = this.rules.close(e.incident.key);
      const told = !this.silenced.delete(e.incident.id);
      if (severity !== null && told) out.push({ type: 'alert-resolved', seq: e.seq, t: e.incident.resolvedAt!, severity, incident: e.incident });
    }
    return out;
  }

  toJSON(): StreamAlerterState {
    return { format: 'vigil-stream-alerter', version: 1, incidents: this.tracker.toJSON(), rules: this.rules.toJSON(), silenced: [...this.silenced] };
  }

  /** Restores the state; `rule` replaces the saved rule (an edited rule keeps open incidents and the hour's budget). */
  static fromJSON(state: StreamAlerterState, rule?: AlertRuleInput | AlertRule): StreamAlerter {
    if (state?.format !== 'vigil-stream-alerter' || state.version !== 1) throw new FormatError('not a vigil-stream-alerter state, version 1');
    const r = parseAlertRule(rule ?? state.rules.rule);
    const tracker = IncidentTracker.fromJSON({ ...state.incidents, quietSeconds: r.quietSeconds });
    return new StreamAlerter(tracker, RuleEvaluator.fromJSON({ ...state.rules, rule: r }), new Set(state.silenced ?? []));
  }
}
