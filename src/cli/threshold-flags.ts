import type { ThresholdSpec } from '../threshold/index.js';
import type { ThresholdChoice } from '../model/calibrate.js';
import { UsageError } from './usage-error.js';
import { numberFlag } from './number-flags.js';

export interface ThresholdFlags {
  contamination?: string;
  threshold?: string;
  risk?: string;
  alertRate?: string;
  costFn?: string;
  costFp?: string;
  budget?: string;
}

/** The threshold flags, as commander options: [flags, description]. */
export const THRESHOLD_FLAGS = {
  alertRate: ['--alert-rate <p>', "cut where the calibrated p-value (the chance a normal row scores this high) is below p: '1e-4' pages at 1 in 10,000 normal rows"],
  costFn: ['--cost-fn <cost>', 'with --cost-fp: the threshold of least expected cost on labelled validation rows; the cost of a missed anomaly'],
  costFp: ['--cost-fp <cost>', 'the cost of a false alarm (with --cost-fn)'],
  budget: ['--budget <n/day|n/hour>', 'the threshold giving at most this many alerts per day (or hour) of data; needs a timestamp column or --rows-per-day'],
  rowsPerDay: ['--rows-per-day <n>', 'for --budget without a timestamp column: how many rows make a day'],
} as const;

const KINDS = ['contamination', 'threshold', 'risk', 'alertRate', 'costFn', 'budget'] as const;
const flagName = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Whether any flag sets the threshold. */
export function hasThresholdFlag(f: ThresholdFlags): boolean {
  return KINDS.some((k) => f[k] !== undefined) || f.costFp !== undefined;
}

/**
 * `--contamination 0.05|auto`, `--threshold 3.2`, `--risk 1e-4` (peaks-over-threshold),
 * `--alert-rate 1e-4` (calibrated p-value), `--cost-fn 500 --cost-fp 5` or `--budget 20/day` to
 * a threshold spec; at most one of them.
 */
export function thresholdFromFlags(f: ThresholdFlags): ThresholdSpec {
  const given = KINDS.filter((k) => f[k] !== undefined);
  if (given.length > 1) throw new UsageError(`give only one of ${given.map(flagName).join(', ')}`);
  if ((f.costFn === undefined) !== (f.costFp === undefined)) throw new UsageError('give --cost-fn and --cost-fp together');
  if (f.costFn !== undefined) return { kind: 'cost', fn: positiveFlag(f.costFn, '--cost-fn'), fp: positiveFlag(f.costFp!, '--cost-fp') };
  if (f.budget !== undefined) return { kind: 'budget', perDay: budgetPerDay(f.budget) };
  if (f.alertRate !== undefined) {
    const p = Number(f.alertRate);
    if (f.alertRate.trim() === '' || !(p > 0 && p < 1)) throw new UsageError(`--alert-rate must be a probability between 0 and 1, got '${f.alertRate}'`);
    return { kind: 'exceedance', p };
  }
  if (f.threshold !== undefined) {
    return { kind: 'value', value: numberFlag(f.threshold, '--threshold') };
  }
  if (f.risk !== undefined) {
    const q = Number(f.risk);
    if (f.risk.trim() === '' || !(q > 0 && q < 1)) throw new UsageError(`--risk must be a probability between 0 and 1, got '${f.risk}'`);
    return { kind: 'pot', q, level: 0.98 };
  }
  const c = f.contamination;
  if (c === undefined) return { kind: 'contamination', rate: 0.1 };
  if (c === 'auto') return { kind: 'auto' };
  const r = Number(c);
  if (c.trim() === '' || !(r > 0 && r < 0.5)) {
    throw new UsageError(`--contamination must be 'auto' or a number between 0 and 0.5, got '${c}'`);
  }
  return { kind: 'contamination', rate: r };
}

/** `20/day`, `3/hour` or a bare `20` (per day) to alerts per day. */
export function budgetPerDay(raw: string): number {
  const m = /^\s*([0-9.eE+-]+)\s*(?:\/\s*(day|d|hour|h))?\s*$/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0) || !Number.isFinite(n)) throw new UsageError(`--budget must be alerts per day or hour, like 20/day or 2/hour, got '${raw}'`);
  return m[2]?.startsWith('h') ? n * 24 : n;
}

/** A number above 0, or a usage error naming the flag. */
export function positiveFlag(raw: string, flag: string): number {
  const v = numberFlag(raw, flag);
  if (!(v > 0)) throw new UsageError(`${flag} must be above 0, got '${raw}'`);
  return v;
}

/** How a fitted threshold was chosen, for messages. */
export function describeThreshold(t: ThresholdSpec): string {
  switch (t.kind) {
    case 'contamination':
      return `contamination ${t.rate}`;
    case 'value':
      return 'explicit';
    case 'auto':
      return 'auto';
    case 'pot':
      return `peaks-over-threshold, risk ${t.q}`;
    case 'exceedance':
      return `calibrated p-value below ${t.p}`;
    case 'cost':
      return `least cost, ${t.fn} per missed anomaly and ${t.fp} per false alarm`;
    case 'budget':
      return `alert budget ${t.perDay}/day`;
  }
}

/** What the threshold does on the rows it was chosen on: alerts (per day), recall, precision, cost. */
export function describeChoice(c: ThresholdChoice): string {
  const parts = [`${c.alerts} alerts in ${c.rows} ${c.on} rows`];
  if (c.alertsPerDay !== undefined) parts.push(`expected ${c.alertsPerDay.toPrecision(3)} alerts/day`);
  if (c.recall !== undefined) parts.push(`expected recall ${c.recall.toFixed(3)}`);
  if (c.precision !== undefined) parts.push(`precision ${c.precision.toFixed(3)}`);
  if (c.cost !== undefined) parts.push(`cost ${c.cost} (${c.falseNegatives} missed, ${c.falsePositives} false alarms)`);
  return `at the threshold: ${parts.join(', ')}`;
}
