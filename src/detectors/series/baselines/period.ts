/**
 * The dominant period of a series by autocorrelation. Each channel is detrended (least-squares
 * line) and centred; its sample ACF is normalised by the full sum of squares (the biased
 * estimator, so it shrinks with the lag and a multiple of the period never beats the period
 * itself) and averaged over channels.
 *  - Only lags after the ACF's first zero crossing count: before it the ACF of a smooth series is
 *    near 1 at every lag, and noise there makes local maxima (a period-288 series sampled every 5
 *    minutes came out as period 2).
 *  - Among the local maxima after the crossing, the highest that reaches `minAcf` and repeats
 *    wins: where the series is long enough to show it, the ACF near twice and three times the lag
 *    must be at least half what a periodic series would have there (a random walk's bump does not
 *    repeat).
 *  - The peak of a noisy ACF wanders by a few lags, so the period is the lag within 5% of the peak
 *    whose phase means explain the most variance (adjusted R^2).
 * No candidate: 1 (no seasonality).
 */
import type { Matrix } from '../../../core/matrix.js';

export interface PeriodOptions {
  /** Longest period considered (default: half the series, at most 2000 steps). */
  maxPeriod?: number;
  /** Smallest autocorrelation that counts as seasonal. */
  minAcf?: number;
}

export function detectPeriod(series: Matrix, o: PeriodOptions = {}): { period: number; acf: number } {
  const n = series.rows;
  const maxLag = Math.min(o.maxPeriod ?? Math.min(2000, Math.floor(n / 2)), n - 2);
  const minAcf = o.minAcf ?? 0.3;
  if (maxLag < 2) return { period: 1, acf: NaN };
  const channels = detrendedChannels(series);
  if (!channels.length) return { period: 1, acf: NaN };
  const acf = Float64Array.from({ length: maxLag + 2 }, (_, lag) => acfAt(channels, lag));
  let lag = 1;
  while (lag <= maxLag && acf[lag]! > 0) lag++;
  const peaks: number[] = [];
  for (lag = Math.max(lag, 2); lag <= maxLag; lag++) {
    const a = acf[lag]!;
    if (a >= minAcf && a >= acf[lag - 1]! && a >= acf[lag + 1]!) peaks.push(lag);
  }
  peaks.sort((x, y) => acf[y]! - acf[x]!);
  const found = peaks.find((p) => repeats(channels, p, acf[p]!));
  if (found === undefined) return { period: 1, acf: peaks.length ? acf[peaks[0]!]! : -Infinity };
  const period = refine(channels, found, maxLag);
  return { period, acf: acf[period]! };
}

interface Channel {
  x: Float64Array;
  ss: number;
}

function detrendedChannels(series: Matrix): Channel[] {
  const n = series.rows;
  const out: Channel[] = [];
  for (let c = 0; c < series.cols; c++) {
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) x[t] = series.data[t * series.cols + c]!;
    detrend(x);
    let ss = 0;
    for (let t = 0; t < n; t++) ss += x[t]! ** 2;
    if (ss > 1e-12 * n) out.push({ x, ss });
  }
  return out;
}

/** The biased ACF at one lag, averaged over channels. */
function acfAt(channels: Channel[], lag: number): number {
  let sum = 0;
  for (const { x, ss } of channels) {
    let s = 0;
    for (let t = 0; t + lag < x.length; t++) s += x[t]! * x[t + lag]!;
    sum += s / ss;
  }
  return sum / channels.length;
}

/**
 * The ACF near each multiple 2p, 3p of p that has a period after it is at least half of what a
 * periodic series with ACF `a` at p would show there.
 */
function repeats(channels: Channel[], p: number, a: number): boolean {
  const n = channels[0]!.x.length;
  const w = Math.max(1, Math.round(0.05 * p));
  for (let k = 2; k <= 3 && k * p + w < n - p; k++) {
    const expected = (a * (1 - (k * p) / n)) / (1 - p / n);
    let best = -Infinity;
    for (let l = k * p - w; l <= k * p + w; l++) best = Math.max(best, acfAt(channels, l));
    if (best < expected / 2) return false;
  }
  return true;
}

/** The lag within 5% of p (and at most maxLag) whose phase means have the highest adjusted R^2. */
function refine(channels: Channel[], p: number, maxLag: number): number {
  const w = Math.max(1, Math.round(0.05 * p));
  let best = { period: p, r2: -Infinity };
  for (let q = Math.max(2, p - w); q <= Math.min(maxLag, p + w); q++) {
    const r2 = adjustedR2(channels, q);
    if (r2 > best.r2) best = { period: q, r2 };
  }
  return best.period;
}

/** 1 - (within-phase variance per residual degree of freedom) / (variance per degree of freedom), summed over channels. */
function adjustedR2(channels: Channel[], q: number): number {
  const n = channels[0]!.x.length;
  if (n <= q + 1) return -Infinity;
  let within = 0;
  let total = 0;
  const sums = new Float64Array(q);
  const counts = new Float64Array(q);
  for (const { x, ss } of channels) {
    sums.fill(0);
    counts.fill(0);
    for (let t = 0; t < n; t++) {
      sums[t % q]! += x[t]!;
      counts[t % q]!++;
    }
    let between = 0;
    for (let k = 0; k < q; k++) between += (sums[k]! * sums[k]!) / counts[k]!;
    within += (ss - between) / ss;
    total += 1;
  }
  return 1 - (within / total / (n - q)) * (n - 1);
}

/** Subtracts the least-squares line through (t, x[t]) in place. */
function detrend(x: Float64Array): void {
  const n = x.length;
  const tMean = (n - 1) / 2;
  let xMean = 0;
  for (let t = 0; t < n; t++) xMean += x[t]!;
  xMean /= n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tMean) * (x[t]! - xMean);
    sxx += (t - tMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  for (let t = 0; t < n; t++) x[t] = x[t]! - xMean - slope * (t - tMean);
}
