/**
 * Alerting, as pure logic the service calls: rules, incidents, the alerter that joins them, what a
 * delivery needs (payloads, idempotency keys, signatures, retries, sink URL checks), feedback
 * recalibration of thresholds, and the shadow comparison of a candidate model.
 */
export type { ScoredPoint } from './scored-point.js';
export {
  DEFAULT_SEVERITY,
  RuleEvaluator,
  SEVERITIES,
  alertRuleSchema,
  parseAlertRule,
  severityOf,
  severityRank,
  severitySpecSchema,
  type AlertRule,
  type AlertRuleInput,
  type RuleDecision,
  type RuleEvaluatorState,
  type Severity,
  type SeveritySpec,
} from './rules.js';
export { IncidentTracker, incidentId, type Incident, type IncidentEvent, type IncidentEventType, type IncidentTrackerOptions, type IncidentTrackerState } from './incidents.js';
export { StreamAlerter, type Alert, type AlertEventType, type AlerterStep, type StreamAlerterState } from './alerter.js';
export * from './delivery.js';
export { thresholdFromFeedback, type FeedbackLabel, type FeedbackOptions, type FeedbackResult, type LabelledScore } from '../threshold/feedback.js';
export {
  compareShadow,
  evaluatePromoteRule,
  promoteRuleSchema,
  type Disagreement,
  type ModelSide,
  type PromoteCheck,
  type PromoteDecision,
  type PromoteRule,
  type ShadowComparison,
  type ShadowOptions,
  type ShadowPoint,
  type Verdict,
} from '../evaluate/shadow.js';
