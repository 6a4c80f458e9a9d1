import { z } from 'zod';
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
