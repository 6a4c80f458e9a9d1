/**
 * Shadow comparison: a candidate model scored beside the served one on the same recent points,
 * before anyone lets it alert. For each model: its alerts per day (flagged points grouped into
 * incidents per series, as the alerting does, so the figure is what people would have received),
 * and precision and recall on the points people labelled; then the points where the two disagree,
 * and whether a team's promotion rule holds.
 */
import { z } from 'zod';
import { DataError, OptionsError } from '../core/errors.js';
import { parseOptions } from '../core/parse-options.js';
import { IncidentTracker } from '../alerting/incidents.js';
import type { FeedbackLabel } from '../threshold/feedback.js';

const DAY_MS = 86_400_000;

export interface Verdict {
  score: number;
  anomaly: boolean;
}

export interface ShadowPoint {
  /** Epoch milliseconds. */
  t: number;
  key?: string | null;
  served: Verdict;
  candidate: Verdict;
  label?: FeedbackLabel;
}

export interface ShadowOptions {
  /** Flags of one series closer than this form one alert (default 600, the alert rule's default). */
  quietSeconds?: number;
  /** The window compared, for the per-day rate (default: first to last point's time). */
  from?: number;
  to?: number;
  /** At most this many disagreements are listed, the latest (default 100); all are counted. */
  maxDisagreements?: number;
}

export interface ModelSide {
  flagged: number;
  alerts: number;
  /** Null when the window has no length (one point, or all at one time). */
  alertsPerDay: number | null;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Null without a flagged labelled point. */
  precision: number | null;
  /** Null without a labelled anomaly. */
  recall: number | null;
}

export interface Disagreement {
  t: number;
  key: string | null;
  served: Verdict;
  candidate: Verdict;
  label: FeedbackLabel | null;
}

export interface ShadowComparison {
  points: number;
  labelled: number;
  from: number;
  to: number;
  days: number;
  served: ModelSide;
  candidate: ModelSide;
  disagreements: { total: number; listed: Disagreement[] };
}

function side(points: readonly ShadowPoint[], pick: (p: ShadowPoint) => Verdict, quietSeconds: number, days: number): ModelSide {
  const tracker = new IncidentTracker({ streamId: 'shadow', quietSeconds });
  let flagged = 0;
  let alerts = 0;
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const p of points) {
    const v = pick(p);
    if (v.anomaly) flagged++;
    for (const e of tracker.observe({ t: p.t, key: p.key, score: v.score, anomaly: v.anomaly, threshold: NaN })) if (e.type === 'incident-opened') alerts++;
    if (p.label === undefined) continue;
    const y = p.label === 'anomaly';
    if (y && v.anomaly) c.tp++;
    else if (!y && v.anomaly) c.fp++;
    else if (y) c.fn++;
    else c.tn++;
  }
  return {
    flagged,
    alerts,
    alertsPerDay: days > 0 ? alerts / days : null,
    ...c,
    precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : null,
    recall: c.tp + c.fn ? c.tp / (c.tp + c.fn) : null,
  };
}

export function compareShadow(input: readonly ShadowPoint[], opts: ShadowOptions = {}): ShadowComparison {
  if (input.length === 0) throw new DataError('a shadow comparison needs at least one point');
  for (const [i, p] of input.entries()) {
    if (!Number.isFinite(p.t)) throw new DataError(`shadow point ${i}: time must be a finite number, got ${p.t}`);
    if (p.label !== undefined && p.label !== 'anomaly' && p.label !== 'normal') throw new DataError(`shadow point ${i}: label ${JSON.stringify(p.label)} is not "anomaly" or "normal"`);
  }
  const max = opts.maxDisagreements ?? 100;
  if (!Number.isInteger(max) || max < 0) throw new OptionsError(`maxDisagreements must be a whole number >= 0, got ${max}`);
  // A stable sort by time keeps each series in order whatever order the points came in.
  const points = [...input].sort((a, b) => a.t - b.t);
  const from = opts.from ?? points[0]!.t;
  const to = opts.to ?? points[points.length - 1]!.t;
  if (!(to >= from)) throw new OptionsError(`the window ends (${to}) before it starts (${from})`);
  const days = (to - from) / DAY_MS;
  const quiet = opts.quietSeconds ?? 600;
  const disagree = points.filter((p) => p.served.anomaly !== p.candidate.anomaly);
  return {
    points: points.length,
    labelled: points.filter((p) => p.label !== undefined).length,
    from,
    to,
    days,
    served: side(points, (p) => p.served, quiet, days),
    candidate: side(points, (p) => p.candidate, quiet, days),
    disagreements: {
      total: disagree.length,
      listed: disagree.slice(Math.max(0, disagree.length - max)).map((p) => ({ t: p.t, key: p.key ?? null, served: p.served, candidate: p.candidate, label: p.label ?? null })),
    },
  };
}

/**
 * When a candidate may replace the served model without a person. Every condition given must
 * hold; a condition that needs labels fails when there are none to judge it by. At least one
 * condition is required, so an empty rule never promotes.
 */
export const promoteRuleSchema = z
  .object({
    /** Candidate precision minus served precision, at least this. */
    minPrecisionGain: z.number().finite().min(-1).max(1).optional(),
    /** Served recall minus candidate recall, at most this. */
    maxRecallLoss: z.number().finite().min(0).max(1).optional(),
    /** The candidate's alerts per day, at most this. */
    maxAlertsPerDay: z.number().finite().min(0).optional(),
    /** Labelled points in the comparison, at least this. */
    minLabelled: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((r) => Object.values(r).some((v) => v !== undefined), { message: 'a promotion rule needs at least one condition' });
export type PromoteRule = z.output<typeof promoteRuleSchema>;

export interface PromoteCheck {
  condition: keyof PromoteRule;
  ok: boolean;
  detail: string;
}

export interface PromoteDecision {
  promote: boolean;
  checks: PromoteCheck[];
}

const fmt = (x: number | null): string => (x === null ? 'undefined' : Number(x.toFixed(4)).toString());

export function evaluatePromoteRule(cmp: ShadowComparison, raw: PromoteRule): PromoteDecision {
  const rule = parseOptions(promoteRuleSchema, raw, 'promotion rule');
  const { served: s, candidate: c } = cmp;
  const checks: PromoteCheck[] = [];
  if (rule.minLabelled !== undefined) {
    checks.push({ condition: 'minLabelled', ok: cmp.labelled >= rule.minLabelled, detail: `${cmp.labelled} labelled points, need ${rule.minLabelled}` });
  }
  if (rule.minPrecisionGain !== undefined) {
    const gain = s.precision === null || c.precision === null ? null : c.precision - s.precision;
    checks.push({
      condition: 'minPrecisionGain',
      ok: gain !== null && gain >= rule.minPrecisionGain - 1e-12,
      detail: `precision ${fmt(s.precision)} -> ${fmt(c.precision)} (gain ${fmt(gain)}), need ${rule.minPrecisionGain}`,
    });
  }
  if (rule.maxRecallLoss !== undefined) {
    const loss = s.recall === null || c.recall === null ? null : s.recall - c.recall;
    checks.push({
      condition: 'maxRecallLoss',
      ok: loss !== null && loss <= rule.maxRecallLoss + 1e-12,
      detail: `recall ${fmt(s.recall)} -> ${fmt(c.recall)} (loss ${fmt(loss)}), allowed ${rule.maxRecallLoss}`,
    });
  }
  if (rule.maxAlertsPerDay !== undefined) {
    checks.push({
      condition: 'maxAlertsPerDay',
      ok: c.alertsPerDay !== null && c.alertsPerDay <= rule.maxAlertsPerDay,
      detail: `candidate ${fmt(c.alertsPerDay)} alerts per day (served ${fmt(s.alertsPerDay)}), allowed ${rule.maxAlertsPerDay}`,
    });
  }
  return { promote: checks.every((k) => k.ok), checks };
}
