/**
 * Alert rules: when the scored points of a stream deserve a person's attention. A rule fires for a
 * series once its score has stayed above the threshold for `forPoints` points in a row or for
 * `forSeconds` seconds (either is enough), grades the alert by how far the score went above the
 * threshold, and sends at most `maxPerHour` alerts per stream in any sliding hour (an alert held
 * back, its incident acknowledged, is not sent and takes nothing from that budget). The evaluator
 * fires once per episode of a series (until `close(key)`, which the alerter calls when the series'
 * incident resolves) and escalates within it when the severity rises. Times are the points' own
 * epoch milliseconds; nothing here reads the clock. State is plain JSON.
 */
import { z } from 'zod';
import { FormatError } from '../core/errors.js';
import { parseOptions } from '../core/parse-options.js';
import { checkOrder, checkTime, seriesOf, type AlertPoint } from './alert-point.js';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const HOUR_MS = 3_600_000;

/**
 * How an alert is graded. `margin` (the default) grades the relative excess
 * (score - threshold) / |threshold|: below `warning` is info, from `warning` warning, from
 * `critical` critical; so the defaults mean "half again the threshold" and "twice the threshold".
 * A threshold of exactly 0 makes any excess infinite (critical): detectors whose scores straddle
 * 0 should grade by `score`, the absolute score levels of warning and critical.
 */
export const severitySpecSchema = z
  .discriminatedUnion('by', [
    z.object({ by: z.literal('margin'), warning: z.number().finite().positive().default(0.5), critical: z.number().finite().positive().default(1) }).strict(),
    z.object({ by: z.literal('score'), warning: z.number().finite(), critical: z.number().finite() }).strict(),
  ])
  .refine((s) => s.warning <= s.critical, { message: 'warning must not be above critical' });
export type SeveritySpec = z.output<typeof severitySpecSchema>;

export const DEFAULT_SEVERITY: SeveritySpec = { by: 'margin', warning: 0.5, critical: 1 };

/** One stream's alert rule. Without `forPoints` and `forSeconds`, one point above the threshold fires. */
export const alertRuleSchema = z
  .object({
    enabled: z.boolean().default(true),
    forPoints: z.number().int().min(1).optional(),
    forSeconds: z.number().finite().min(0).optional(),
    maxPerHour: z.number().int().min(1).max(3600).default(10),
    severity: severitySpecSchema.default(DEFAULT_SEVERITY),
    /** Alerts graded below this are not sent (the incident is still recorded). */
    minSeverity: z.enum(SEVERITIES).default('info'),
    /** An incident resolves after this long without an anomaly of its series. */
    quietSeconds: z.number().finite().positive().default(600),
  })
  .strict();
export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

/** A rule from untrusted input (a request body, a stored row), with its defaults filled in. */
export function parseAlertRule(raw: unknown): AlertRule {
  return parseOptions(alertRuleSchema, raw, 'alert rule');
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The severity of a score judged against a threshold; a score at or below it is info. */
export function severityOf(score: number, threshold: number, spec: SeveritySpec = DEFAULT_SEVERITY): Severity {
  let level: number;
  if (spec.by === 'score') level = score;
  else if (!(score > threshold) || !Number.isFinite(threshold)) return 'info';
  else level = threshold === 0 ? Infinity : (score - threshold) / Math.abs(threshold);
  if (level >= spec.critical) return 'critical';
  if (level >= spec.warning) return 'warning';
  return 'info';
}

interface Common {
  key: string;
  t: number;
  score: number;
  threshold: number;
  severity: Severity;
}

export type RuleDecision =
  /** The episode qualified: `points` in a row above the threshold since `since`. */
  | (Common & { kind: 'fire'; by: 'points' | 'seconds'; points: number; since: number })
  /** A fired episode reached a higher severity. */
  | (Common & { kind: 'escalate'; from: Severity })
  /** An alert was due but the hourly budget is spent; `until` is when it frees. Once per episode. */
  | (Common & { kind: 'suppress'; until: number });

interface SeriesState {
  lastT: number;
  /** Start time and length of the current run of points above the threshold (0: no run). */
  runStart: number;
  runPoints: number;
  runPeak: number;
  runPeakThreshold: number;
  /** Severity alerted in this episode, or null before the first alert. */
  fired: Severity | null;
  /** True once this episode was told of a suppression (told once). */
  suppressed: boolean;
}

export interface RuleEvaluatorState {
  format: 'vigil-rule-evaluator';
  version: 1;
  rule: AlertRule;
  /** Times of the alerts sent in the last hour, oldest first. */
  sent: number[];
  /** The latest point time seen (null before any). */
  latest: number | null;
  series: Record<string, SeriesState>;
}

export class RuleEvaluator {
  readonly rule: AlertRule;
  private sent: number[] = [];
  private latest = -Infinity;
  private readonly series = new Map<string, SeriesState>();

  constructor(rule: AlertRuleInput | AlertRule = {}) {
    this.rule = parseAlertRule(rule);
  }

  /**
   * Judges one point; returns the decision it caused (none, mostly). `held`: an alert of this
   * series would be held back (its incident is acknowledged), so the episode goes on as if it had
   * alerted, without spending the hourly budget or being suppressed by it.
   */
  observe(p: AlertPoint, held = false): RuleDecision[] {
    checkTime(p.t, 'alert rule');
    const key = seriesOf(p);
    let s = this.series.get(key);
    if (s) checkOrder(key, p.t, s.lastT);
    if (p.t > this.latest) this.latest = p.t;
    if (!this.rule.enabled) return [];
    if (!p.anomaly) {
      if (s) {
        s.lastT = p.t;
        s.runPoints = 0;
        if (s.fired === null && !s.suppressed) this.series.delete(key);
      }
      return [];
    }
    if (!s) {
      s = { lastT: p.t, runStart: p.t, runPoints: 0, runPeak: 0, runPeakThreshold: 0, fired: null, suppressed: false };
      this.series.set(key, s);
    }
    s.lastT = p.t;
    if (s.runPoints === 0) s.runStart = p.t;
    s.runPoints++;
    if (p.score > s.runPeak || s.runPoints === 1) {
      s.runPeak = p.score;
      s.runPeakThreshold = p.threshold;
    }
    return s.fired === null ? this.maybeFire(key, s, p, held) : this.maybeEscalate(key, s, p, held);
  }

  /**
   * Ends the series' episode (its incident resolved): the next run may fire again. Returns the
   * severity alerted in the episode, or null when nothing was sent (so there is nothing to resolve).
   */
  close(key: string | null | undefined): Severity | null {
    const k = seriesOf({ key });
    const s = this.series.get(k);
    this.series.delete(k);
    return s?.fired ?? null;
  }

  /** Alerts still allowed in the hour ending at `t`. */
  budget(t: number): number {
    return this.rule.maxPerHour - this.sent.filter((x) => x > t - HOUR_MS).length;
  }

  private maybeFire(key: string, s: SeriesState, p: AlertPoint, held: boolean): RuleDecision[] {
    const by = this.qualifies(s, p.t);
    if (by === null) return [];
    const severity = severityOf(s.runPeak, s.runPeakThreshold, this.rule.severity);
    if (severityRank(severity) < severityRank(this.rule.minSeverity)) return [];
    const common = { key, t: p.t, score: s.runPeak, threshold: s.runPeakThreshold, severity };
    if (!held && !this.spend(p.t)) return this.suppress(s, common);
    s.fired = severity;
    return [{ kind: 'fire', ...common, by, points: s.runPoints, since: s.runStart }];
  }

  private maybeEscalate(key: string, s: SeriesState, p: AlertPoint, held: boolean): RuleDecision[] {
    const from = s.fired!;
    const severity = severityOf(p.score, p.threshold, this.rule.severity);
    if (severityRank(severity) <= severityRank(from)) return [];
    const common = { key, t: p.t, score: p.score, threshold: p.threshold, severity };
    if (!held && !this.spend(p.t)) return this.suppress(s, common);
    s.fired = severity;
    return [{ kind: 'escalate', ...common, from }];
  }

  private suppress(s: SeriesState, common: Common): RuleDecision[] {
    if (s.suppressed) return [];
    s.suppressed = true;
    const inWindow = this.sent.filter((x) => x > common.t - HOUR_MS);
    // The budget frees when the oldest alert that keeps it full leaves the hour.
    const until = inWindow[inWindow.length - this.rule.maxPerHour]! + HOUR_MS;
    return [{ kind: 'suppress', ...common, until }];
  }

  private qualifies(s: SeriesState, t: number): 'points' | 'seconds' | null {
    const { forPoints, forSeconds } = this.rule;
    if (forPoints === undefined && forSeconds === undefined) return 'points';
    if (forPoints !== undefined && s.runPoints >= forPoints) return 'points';
    if (forSeconds !== undefined && t - s.runStart >= forSeconds * 1000) return 'seconds';
    return null;
  }

  /** Takes one alert from the hourly budget, if there is one left. */
  private spend(t: number): boolean {
    this.sent = this.sent.filter((x) => x > this.latest - HOUR_MS);
    if (this.budget(t) <= 0) return false;
    this.sent.push(t);
    this.sent.sort((a, b) => a - b);
    return true;
  }

  toJSON(): RuleEvaluatorState {
    return {
      format: 'vigil-rule-evaluator',
      version: 1,
      rule: this.rule,
      sent: [...this.sent],
      latest: Number.isFinite(this.latest) ? this.latest : null,
      series: Object.fromEntries([...this.series].map(([k, s]) => [k, { ...s }])),
    };
  }

  static fromJSON(state: RuleEvaluatorState): RuleEvaluator {
    if (state?.format !== 'vigil-rule-evaluator' || state.version !== 1) throw new FormatError('not a vigil-rule-evaluator state, version 1');
    const e = new RuleEvaluator(state.rule);
    e.sent = [...state.sent];
    e.latest = state.latest ?? -Infinity;
    for (const [k, s] of Object.entries(state.series)) e.series.set(k, { ...s });
    return e;
  }
}
