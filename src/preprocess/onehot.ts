import { rankByFrequency } from './impute.js';

/** Suffix of the catch-all feature: rare levels beyond the cap and values unseen in training. */
export const OTHER = '<other>';

/** The levels that get their own feature: the `maxLevels` most frequent present values. */
export function fitLevels(values: readonly (string | null)[], maxLevels: number): string[] {
  return rankByFrequency(values).slice(0, maxLevels);
}

/** Feature names for one categorical column: `color=red`, ..., then `color=<other>`. */
export function levelFeatureNames(column: string, levels: readonly string[]): string[] {
  return [...levels.map((l) => `${column}=${l}`), `${column}=${OTHER}`];
}

/**
 * Offset of the feature a value switches on, among `levels.length + 1` features. Missing values
 * take the fill level; a missing value with no fill, or any unknown value, takes `<other>`.
 */
export function levelIndex(index: ReadonlyMap<string, number>, v: string | null, fill: string | null, other: number): number {
  const u = v ?? fill;
  if (u === null) return other;
  return index.get(u) ?? other;
}
