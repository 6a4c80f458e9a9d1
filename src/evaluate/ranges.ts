/**
 * Anomalies in a time series as ranges: a 0/1 series becomes its maximal runs of 1s, each an
 * inclusive [start, end] pair of row indices, and back. Range-based, event-wise and point-adjusted
 * metrics all reason about runs rather than single points.
 */
import { DataError } from '../core/errors.js';

/** Inclusive row indices [start, end] of one anomaly (true or predicted). */
export type Range = readonly [start: number, end: number];

/** The maximal runs of non-zero values, in order. */
export function toRanges(series: ArrayLike<number>): Range[] {
  const out: Range[] = [];
  let start = -1;
  for (let i = 0; i < series.length; i++) {
    if (series[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  if (start >= 0) out.push([start, series.length - 1]);
  return out;
}

/** A 0/1 series of `length` rows with 1 inside every range (ranges may touch or overlap). */
export function fromRanges(ranges: readonly Range[], length: number): Uint8Array {
  checkRanges(ranges, length);
  const out = new Uint8Array(length);
  for (const [s, e] of ranges) out.fill(1, s, e + 1);
  return out;
}

/** Ranges must be whole, ordered pairs inside [0, length). */
export function checkRanges(ranges: readonly Range[], length: number, what = 'range'): void {
  for (const r of ranges) {
    const [s, e] = r;
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e < s || e >= length) {
      throw new DataError(`${what} [${s}, ${e}] is not an inclusive pair of row indices within 0..${length - 1}`);
    }
  }
}

/** Number of rows two inclusive ranges share. */
export function overlapLength(a: Range, b: Range): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]) + 1);
}

export function rangeLength(r: Range): number {
  return r[1] - r[0] + 1;
}
