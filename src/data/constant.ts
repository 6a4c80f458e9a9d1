import type { Frame } from './frame.js';

/**
 * Names of numeric and categorical columns with at most one distinct present value. After
 * imputation such a column is the same in every row, so it tells a detector nothing, and a
 * zero-variance feature breaks covariance-based detectors. Entirely missing columns count too.
 * Timestamp columns are not reported: preprocessing drops them anyway.
 */
export function constantColumns(frame: Frame): string[] {
  const out: string[] = [];
  for (const c of frame.columns) {
    if (c.kind === 'timestamp') continue;
    let seen: number | string | undefined;
    let constant = true;
    for (const v of c.values) {
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
      if (seen === undefined) seen = v;
      else if (v !== seen) {
        constant = false;
        break;
      }
    }
    if (constant) out.push(c.name);
  }
  return out;
}
