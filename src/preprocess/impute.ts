import { mean, median } from '../core/stats.js';
import type { Imputer } from './spec.js';

/**
 * The value that stands in for a missing number. A column with no present value gets 0, which
 * keeps the saved state finite (JSON has no NaN); such a column is constant anyway.
 */
export function numericFill(values: ArrayLike<number>, how: Imputer): number {
  const v = how === 'mean' ? mean(values) : median(values);
  // -0 would not survive JSON (it prints as 0), and x - (-0) differs from x - 0 at x = -0.
  return Number.isNaN(v) || v === 0 ? 0 : v;
}

/**
 * Present categories from most to least frequent; ties in code-unit order so the result does
 * not depend on row order or locale.
 */
export function rankByFrequency(values: readonly (string | null)[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([v]) => v);
}

/** The most frequent category, or null when the column has none (missing stays unmatched). */
export function categoryFill(values: readonly (string | null)[]): string | null {
  return rankByFrequency(values)[0] ?? null;
}
