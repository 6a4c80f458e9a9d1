import { DataError } from '../core/errors.js';

/**
 * One scored point as the scoring loop hands it to alerting. `t` is epoch milliseconds (the
 * point's own time, not the clock's), `key` names the series within the stream (absent for a
 * single-series stream; absent and '' are the same series), `anomaly` is the detector's judgement
 * `score > threshold` (always false while it warms up).
 */
export interface ScoredPoint {
  t: number;
  key?: string | null;
  score: number;
  anomaly: boolean;
  threshold: number;
}

/** The series a point belongs to, as one string. */
export function seriesOf(p: { key?: string | null }): string {
  return p.key ?? '';
}

/** A point's time must be a finite number; everything else may be NaN (a warm-up threshold). */
export function checkTime(t: number, what: string): void {
  if (!Number.isFinite(t)) throw new DataError(`${what}: time must be a finite number of milliseconds, got ${t}`);
}

/** Times within one series never go back (ingest refuses that too); alerting state depends on it. */
export function checkOrder(series: string, t: number, last: number): void {
  if (t < last) throw new DataError(`series '${series}': time ${t} is before the last time seen (${last})`);
}
