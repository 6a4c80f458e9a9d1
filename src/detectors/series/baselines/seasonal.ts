/**
 * Seasonal baseline: the normal value at each phase of a period is the median of the fitted
 * series at that phase (the seasonal profile); a step's channel score is its deviation from the
 * profile in robust-z units, |x - profile[phase]| / (1.4826 MAD of the fitted residuals), one scale
 * per channel because a handful of cycles gives too few values for a scale per phase. The period is
 * given or detected by autocorrelation (period.ts; 1 when there is none, which makes this a global
 * robust z-score). The joint score is the max over channels, or their sum.
 *
 * A scored series need not start where the fitted one did: its phase is the shift that best fits
 * the profile over its first two periods (least absolute deviation), so scoring the fitted series
 * itself, or a later stretch of it, lines up.
 */
import { z } from 'zod';
import { DataError } from '../../../core/errors.js';
import { matrix, type Matrix } from '../../../core/matrix.js';
import { MAD_TO_SD, mad, median } from '../../../core/stats.js';
import type { DetectorState } from '../../detector.js';
import { fittedOr, stateArray, stateNumber } from '../../state.js';
import { defineSeriesDetector } from '../define.js';
import { checkSeries } from '../check.js';
import type { SeriesDetector, SeriesScores } from '../series-detector.js';
import { detectPeriod } from './period.js';

const schema = z.object({
  /** Steps per season; detected by autocorrelation when absent. */
  period: z.number().int().min(1).optional().describe('Steps per season; detected by autocorrelation when absent.'),
  /** Longest period the detection considers (default half the fitted series, at most 2000). */
  maxPeriod: z.number().int().min(2).optional().describe('Longest period the detection considers (default half the fitted series, at most 2000).'),
  /** Joint score: the largest channel score, or their sum. */
  combine: z.enum(['max', 'sum']).default('max').describe('Joint score: the largest channel score, or their sum.'),
});

interface Learned {
  period: number;
  /** period x channels. */
  profile: Float64Array;
  scale: Float64Array;
}

class Seasonal implements SeriesDetector {
  readonly name = 'seasonal';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  get context(): number {
    return this.learned?.period ?? this.options.period ?? 1;
  }

  async fit(series: Matrix): Promise<void> {
    const d = series.cols;
    checkSeries(series, this.name, 1, 'fit');
    const period = this.options.period ?? detectPeriod(series, { maxPeriod: this.options.maxPeriod }).period;
    if (series.rows < 2 * period) throw new DataError(`seasonal fit needs at least 2 periods (${2 * period} steps), got ${series.rows}`);
    const profile = new Float64Array(period * d);
    const scale = new Float64Array(d);
    const cycles = Math.ceil(series.rows / period);
    for (let c = 0; c < d; c++) {
      for (let p = 0; p < period; p++) {
        const vals: number[] = [];
        for (let k = 0; k < cycles; k++) {
          const t = k * period + p;
          if (t < series.rows) vals.push(series.data[t * d + c]!);
        }
        profile[p * d + c] = median(vals);
      }
      const res = new Float64Array(series.rows);
      for (let t = 0; t < series.rows; t++) res[t] = series.data[t * d + c]! - profile[(t % period) * d + c]!;
      scale[c] = residualScale(res);
    }
    this.learned = { period, profile, scale };
  }

  async score(series: Matrix): Promise<SeriesScores> {
    const { period, profile, scale } = fittedOr(this.learned, this.name);
    const d = scale.length;
    if (series.cols !== d) throw new DataError(`seasonal was fitted on ${d} channels, got ${series.cols}`);
    checkSeries(series, this.name, period, 'score');
    const shift = phaseShift(series, profile, scale, period);
    const channels = matrix(series.rows, d);
    const score = new Float64Array(series.rows);
    for (let t = 0; t < series.rows; t++) {
      const p = (t + shift) % period;
      let joint = 0;
      for (let c = 0; c < d; c++) {
        const v = Math.abs(series.data[t * d + c]! - profile[p * d + c]!) / scale[c]!;
        channels.data[t * d + c] = v;
        joint = this.options.combine === 'sum' ? joint + v : Math.max(joint, v);
      }
      score[t] = joint;
    }
    return { score, channels, warmup: 0 };
  }

  getState(): DetectorState {
    const { period, profile, scale } = fittedOr(this.learned, this.name);
    return { params: { period, channels: scale.length }, arrays: { profile, scale } };
  }

  setState(s: DetectorState): void {
    const period = stateNumber(s, 'period');
    const channels = stateNumber(s, 'channels');
    const profile = stateArray(s, 'profile', Float64Array);
    const scale = stateArray(s, 'scale', Float64Array);
    if (profile.length !== period * channels || scale.length !== channels) throw new DataError('seasonal: inconsistent saved state');
    this.learned = { period, profile, scale };
  }
}

/** 1.4826 MAD; the mean absolute deviation when most residuals are equal; 1 when all are. */
function residualScale(res: Float64Array): number {
  const center = median(res);
  const m = MAD_TO_SD * mad(res, center);
  if (m > 0) return m;
  let s = 0;
  for (const v of res) s += Math.abs(v - center);
  return s / res.length || 1;
}

/** The phase of step 0 that best fits the profile over the first two periods. */
function phaseShift(series: Matrix, profile: Float64Array, scale: Float64Array, period: number): number {
  if (period === 1) return 0;
  const d = scale.length;
  const n = Math.min(series.rows, 2 * period);
  let best = { shift: 0, cost: Infinity };
  for (let s = 0; s < period; s++) {
    let cost = 0;
    for (let t = 0; t < n && cost < best.cost; t++) {
      const p = (t + s) % period;
      for (let c = 0; c < d; c++) cost += Math.abs(series.data[t * d + c]! - profile[p * d + c]!) / scale[c]!;
    }
    if (cost < best.cost) best = { shift: s, cost };
  }
  return best.shift;
}

export const seasonal = defineSeriesDetector(
  {
    name: 'seasonal',
    summary: 'deviation from the median seasonal profile (period given or found by autocorrelation) in robust-z units',
    citation: 'seasonal median profile with MAD scale, as in seasonal ESD residuals (Hochenbaum, Vallis & Kejariwal 2017)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new Seasonal(o),
);
