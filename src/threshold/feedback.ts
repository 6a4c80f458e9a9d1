/**
 * Recalibrating a threshold from people's feedback. A point is flagged when its score is above the
 * threshold (`score > t`, as everywhere in Vigil), so confirmed normals want `t >= score` and
 * confirmed anomalies want `t < score`. The rule:
 *
 * 1. Among all thresholds, take those with the least weighted error
 *    normalWeight * (normals flagged) + anomalyWeight * (anomalies missed).
 *    When one threshold can satisfy every label (the highest normal is below the lowest anomaly)
 *    the least error is 0 and these are exactly the thresholds that satisfy them all.
 * 2. Of those, take the one closest to the current threshold: keep it if it is among them, else
 *    move it just as far as the labels ask (up to the highest normal it must clear, or to just below
 *    the lowest anomaly it must flag). The current threshold was calibrated on all the scores,
 *    unlabelled ones included, and a few labels should correct it, not replace it.
 *    Equally close candidates: the higher one (fewer alerts).
 */
import { DataError, OptionsError } from '../core/errors.js';

export type FeedbackLabel = 'anomaly' | 'normal';

export interface LabelledScore {
  score: number;
  label: FeedbackLabel;
}

export interface FeedbackOptions {
  /** The cost of flagging a confirmed normal (default 1). */
  normalWeight?: number;
  /** The cost of missing a confirmed anomaly (default 1). */
  anomalyWeight?: number;
}

export interface FeedbackResult {
  threshold: number;
  previous: number;
  changed: boolean;
  /** True when one threshold satisfies every label. */
  separable: boolean;
  normals: { total: number; below: number };
  anomalies: { total: number; above: number };
  /** The weighted error of the new threshold. */
  cost: number;
}

/** The largest double below x. */
function nextDown(x: number): number {
  if (x === -Infinity || Number.isNaN(x)) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] = x > 0 ? b[0]! - 1n : b[0]! + 1n;
  return f[0]!;
}

function weight(w: number | undefined, name: string): number {
  const v = w ?? 1;
  if (!(Number.isFinite(v) && v > 0)) throw new OptionsError(`${name} must be a positive number, got ${v}`);
  return v;
}

export function thresholdFromFeedback(labelled: readonly LabelledScore[], current: number, opts: FeedbackOptions = {}): FeedbackResult {
  if (!Number.isFinite(current)) throw new OptionsError(`the current threshold must be a finite number, got ${current}`);
  const wN = weight(opts.normalWeight, 'normalWeight');
  const wA = weight(opts.anomalyWeight, 'anomalyWeight');
  for (const [i, l] of labelled.entries()) {
    if (!Number.isFinite(l.score)) throw new DataError(`labelled score ${i} is ${l.score}, not a finite number`);
    if (l.label !== 'anomaly' && l.label !== 'normal') throw new DataError(`labelled score ${i} has label ${JSON.stringify(l.label)}, not "anomaly" or "normal"`);
  }
  const normals = labelled.filter((l) => l.label === 'normal').map((l) => l.score);
  const anomalies = labelled.filter((l) => l.label === 'anomaly').map((l) => l.score);
  let maxNormal = -Infinity;
  let minAnomaly = Infinity;
  for (const s of normals) maxNormal = Math.max(maxNormal, s);
  for (const s of anomalies) minAnomaly = Math.min(minAnomaly, s);

  // The error is constant on each interval between consecutive distinct scores u_j:
  // (-inf, u_1), [u_1, u_2), ..., [u_m, +inf). Below every score each normal is flagged; each
  // u_j passed clears the normals at u_j and misses the anomalies at u_j.
  const u = [...new Set(labelled.map((l) => l.score))].sort((a, b) => a - b);
  const count = (xs: number[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const normalsAt = count(normals);
  const anomaliesAt = count(anomalies);
  const intervals: { lo: number; hi: number; cost: number }[] = [{ lo: -Infinity, hi: u[0] ?? Infinity, cost: wN * normals.length }];
  for (let j = 0; j < u.length; j++) {
    const cost = intervals[j]!.cost - wN * (normalsAt.get(u[j]!) ?? 0) + wA * (anomaliesAt.get(u[j]!) ?? 0);
    intervals.push({ lo: u[j]!, hi: u[j + 1] ?? Infinity, cost });
  }
  const least = Math.min(...intervals.map((iv) => iv.cost));
  // Costs are sums of weights; a tolerance keeps rounding from splitting equal costs.
  const eps = 1e-9 * (wN + wA) * (labelled.length + 1);

  let pick = NaN;
  let dist = Infinity;
  for (const { lo, hi, cost } of intervals) {
    if (cost > least + eps) continue;
    // The point of [lo, hi) closest to the current threshold.
    const t = current < lo ? lo : current >= hi ? nextDown(hi) : current;
    const d = Math.abs(t - current);
    if (d < dist || (d === dist && t > pick)) {
      pick = t;
      dist = d;
    }
  }
  const below = normals.filter((s) => s <= pick).length;
  const above = anomalies.filter((s) => s > pick).length;
  return {
    threshold: pick,
    previous: current,
    changed: pick !== current,
    separable: maxNormal < minAnomaly,
    normals: { total: normals.length, below },
    anomalies: { total: anomalies.length, above },
    cost: wN * (normals.length - below) + wA * (anomalies.length - above),
  };
}
