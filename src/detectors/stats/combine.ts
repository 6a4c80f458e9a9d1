import { z } from 'zod';
import { chiSquareQuantile, normalSf } from '../../core/distributions.js';
import type { Matrix } from '../../core/matrix.js';

/** How per-feature deviations become one score: the largest, their mean, or their L2 norm scaled by 1/sqrt(d). */
export const combineSchema = z.enum(['max', 'mean', 'l2']).default('max');
export type Combine = z.infer<typeof combineSchema>;

export function combineRow(values: Float64Array, offset: number, d: number, how: Combine): number {
  let acc = 0;
  for (let j = 0; j < d; j++) {
    const v = values[offset + j]!;
    if (how === 'max') acc = Math.max(acc, v);
    else if (how === 'mean') acc += v;
    else acc += v * v;
  }
  if (how === 'mean') return acc / d;
  if (how === 'l2') return Math.sqrt(acc / d);
  return acc;
}

/** One combined score per row of per-feature deviations. */
export function combineRows(z: Matrix, how: Combine): Float64Array {
  const out = new Float64Array(z.rows);
  for (let i = 0; i < z.rows; i++) out[i] = combineRow(z.data, i * z.cols, z.cols, how);
  return out;
}

/** E|Z| for a standard normal Z. */
const ABS_Z_MEAN = Math.sqrt(2 / Math.PI);

/**
 * The `auto` cutoff on a combined score, given the per-feature |z| cutoff c and d features, so
 * that every combine means the same on one feature (|z| > c) and stays about as rare on many
 * independent normal features:
 *  - max: c on every feature (the family-wise rate grows with d, as for a test per feature);
 *  - mean: E|z| + (c - E|z|) / sqrt(d), shrinking towards E|z| like a standard error;
 *  - l2 (root mean square): the chi-square quantile with d degrees of freedom at the tail
 *    probability of |z| > c, over d, square-rooted.
 * The mean rule was c / sqrt(d), which sinks below E|z| = 0.80 from 15 features on and flagged
 * 16% of rows of nine normal features.
 */
export function combinedCutoff(c: number, d: number, how: Combine): number {
  switch (how) {
    case 'max':
      return c;
    case 'mean':
      return ABS_Z_MEAN + (c - ABS_Z_MEAN) / Math.sqrt(d);
    case 'l2':
      return Math.sqrt(chiSquareQuantile(1 - 2 * normalSf(c), d) / d);
  }
}
