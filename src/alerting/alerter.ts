/**
 * One stream's alerting: its points go to the incident tracker (grouping) and to the rule
 * evaluator (whether and how loudly to tell someone), and what comes out is the incident events
 * to store and the alerts to deliver. An alert belongs to an incident: `alert-fired` when the rule
 * first qualifies within it, `alert-escalated` when its severity rises, `alert-resolved` when an
 * incident that was alerted resolves (never rate-limited: it closes what was already sent). Each
 * alert carries the sequence number of the incident event it came with, so the same points always
 * give the same alerts, and `idempotencyKey` tells a redelivery from a new alert.
 */
import { IncidentTracker, type Incident, type IncidentEvent, type IncidentTrackerState } from './incidents.js';
import { RuleEvaluator, parseAlertRule, type AlertRule, type AlertRuleInput, type RuleDecision, type RuleEvaluatorState, type Severity } from './rules.js';
import type { ScoredPoint } from './scored-point.js';
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
}

export class StreamAlerter {
  private constructor(
    private readonly tracker: IncidentTracker,
    private readonly rules: RuleEvaluator,
  ) {}

  static create(streamId: string, rule: AlertRuleInput | AlertRule = {}): StreamAlerter {
    const r = new RuleEvaluator(rule);
    return new StreamAlerter(new IncidentTracker({ streamId, quietSeconds: r.rule.quietSeconds }), r);
  }

  get rule(): AlertRule {
    return this.rules.rule;
  }

  observe(p: ScoredPoint): AlerterStep {
    const incidents = this.tracker.observe(p);
    const alerts = this.resolutions(incidents);
    const decisions = this.rules.observe(p);
    for (const d of decisions) {
      if (d.kind === 'suppress') continue;
      const incident = this.tracker.openFor(d.key)!;
      alerts.push({ type: d.kind === 'fire' ? 'alert-fired' : 'alert-escalated', seq: incident.seq - 1, t: d.t, severity: d.severity, incident });
    }
    return { incidents, decisions, alerts };
  }

  /** Resolves the incidents whose quiet period ended by `now` (the points' time base). */
  advance(now: number): AlerterStep {
    const incidents = this.tracker.advance(now);
    return { incidents, decisions: [], alerts: this.resolutions(incidents) };
  }

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
      if (severity !== null) out.push({ type: 'alert-resolved', seq: e.seq, t: e.incident.resolvedAt!, severity, incident: e.incident });
    }
    return out;
  }

  toJSON(): StreamAlerterState {
    return { format: 'vigil-stream-alerter', version: 1, incidents: this.tracker.toJSON(), rules: this.rules.toJSON() };
  }

  /** Restores the state; `rule` replaces the saved rule (an edited rule keeps open incidents and the hour's budget). */
  static fromJSON(state: StreamAlerterState, rule?: AlertRuleInput | AlertRule): StreamAlerter {
    if (state?.format !== 'vigil-stream-alerter' || state.version !== 1) throw new FormatError('not a vigil-stream-alerter state, version 1');
    const r = parseAlertRule(rule ?? state.rules.rule);
    const tracker = IncidentTracker.fromJSON({ ...state.incidents, quietSeconds: r.quietSeconds });
    return new StreamAlerter(tracker, RuleEvaluator.fromJSON({ ...state.rules, rule: r }));
  }
}
