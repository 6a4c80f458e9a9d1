/**
 * The dominant period of a series by autocorrelation: the lag, among local maxima of the sample
 * ACF (averaged over channels), with the highest autocorrelation, if it reaches `minAcf`; else 1
 * (no seasonality). The ACF is normalised by the full sum of squares (the biased estimator), so it
 * shrinks with the lag and a multiple of the period never beats the period itself.
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
  const acf = new Float64Array(maxLag + 2);
  let used = 0;
  for (let c = 0; c < series.cols; c++) {
    const x = new Float64Array(n);
    let mu = 0;
    for (let t = 0; t < n; t++) mu += x[t] = series.data[t * series.cols + c]!;
    mu /= n;
    let ss = 0;
    for (let t = 0; t < n; t++) ss += (x[t]! - mu) ** 2;
    if (!(ss > 0)) continue;
    for (let t = 0; t < n; t++) x[t]! -= mu;
    used++;
    for (let lag = 1; lag <= maxLag + 1 && lag < n; lag++) {
      let s = 0;
      for (let t = 0; t + lag < n; t++) s += x[t]! * x[t + lag]!;
      acf[lag]! += s / ss;
    }
  }
  if (!used) return { period: 1, acf: NaN };
  let best = { period: 1, acf: -Infinity };
  for (let lag = 2; lag <= maxLag; lag++) {
    const a = acf[lag]! / used;
    if (a >= acf[lag - 1]! / used && a >= acf[lag + 1]! / used && a > best.acf) best = { period: lag, acf: a };
  }
  return best.acf >= minAcf ? best : { period: 1, acf: best.acf };
}
