/**
 * What a column's name and values suggest it is, beyond its kind: the classic mistakes of feeding
 * an id, a forgotten label or a clock to a detector as a feature. Pure functions of one column;
 * `Model.fit` turns them into its column report.
 */
import type { Column } from './frame.js';
import { TIMESTAMP_NAMES } from './series.js';

/** Fewer rows than this and "unique per row" says nothing: small tables are unique by chance. */
export const ID_MIN_ROWS = 20;

/**
 * Names a 0/1 label column usually has, compared case-insensitively: label, target, class, y,
 * fraud, anomaly, outlier and their variants, and flags named is_* or isX.
 */
const LABEL_NAME = /^(y|labels?|target|class|classes|ground_?truth|truth|fraud\w*|\w*_fraud|anomal\w*|\w*_anomal\w*|outliers?|\w*_outliers?|attack|\w*_label|label_\w*|is_\w+|is[A-Z]\w*)$/;

export function namedLikeLabel(name: string): boolean {
  const n = name.trim();
  return LABEL_NAME.test(n) || LABEL_NAME.test(n.toLowerCase());
}

export function namedLikeTimestamp(name: string): boolean {
  return TIMESTAMP_NAMES.includes(name.trim().toLowerCase());
}

/** Present values are only 0 and 1, both of them. */
export function isZeroOne(c: Column): boolean {
  if (c.kind !== 'numeric') return false;
  let zeros = 0;
  let ones = 0;
  for (const v of c.values) {
    if (Number.isNaN(v)) continue;
    if (v === 0) zeros++;
    else if (v === 1) ones++;
    else return false;
  }
  return zeros > 0 && ones > 0;
}

/** Distinct present values; stops counting past `limit`. */
export function distinctCount(c: Column, limit = Infinity): number {
  const seen = new Set<string | number>();
  for (const v of c.values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    seen.add(v);
    if (seen.size > limit) break;
  }
  return seen.size;
}

/**
 * An id rather than a measurement: at least ID_MIN_ROWS rows, at least 90% of them present, and
 * every present value different: text, or whole numbers (a row counter, a customer number). A
 * unique real-valued column (amounts with cents) is an ordinary feature.
 */
export function looksLikeId(c: Column, rows: number): boolean {
  if (rows < ID_MIN_ROWS || c.kind === 'timestamp') return false;
  let present = 0;
  for (const v of c.values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    if (typeof v === 'number' && !Number.isInteger(v)) return false;
    present++;
  }
  return present >= 0.9 * rows && distinctCount(c) === present;
}

/** A numeric column named like a timestamp whose values never go down: a clock, not a measurement. */
export function looksLikeClock(c: Column): boolean {
  if (c.kind !== 'numeric' || !namedLikeTimestamp(c.name)) return false;
  let prev = -Infinity;
  let rises = 0;
  for (const v of c.values) {
    if (Number.isNaN(v)) continue;
    if (v < prev) return false;
    if (v > prev && prev !== -Infinity) rises++;
    prev = v;
  }
  return rises > 0;
}
