import { safeMagnitude } from '../core/check-finite.js';
import { DataError } from '../core/errors.js';
import type { ScaleParams } from './scale.js';
import type { Scaler } from './spec.js';

/**
 * Rejects a numeric column whose scaled values are too large for the statistics taken of them
 * (see safeMagnitude), naming the column and the first such row. Values near 1.7e308 are finite,
 * but their sum or square is not: the standard scaler's deviation overflows to Infinity (and
 * falls back to 1, leaving the values as they are), minmax's range does too, and a detector's
 * variance or distance becomes Infinity or NaN without a word. `values` are the frame's, so rows
 * are numbered from 1 as in the file.
 *
 * O(n) beside the scaler's own pass; this is the one place every numeric feature passes through
 * before any detector sees it.
 */
export function checkScaledMagnitude(column: string, values: ArrayLike<number>, p: ScaleParams, scaler: Scaler): void {
  let present = 0;
  let worst = -1;
  let worstSize = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    present++;
    // The largest value is the one to name: an overflowed mean shifts every other value too.
    const size = Math.abs((v - p.center) / p.scale);
    if (!(size <= worstSize)) {
      worst = i;
      worstSize = size;
    }
  }
  const limit = safeMagnitude(present);
  if (worst < 0 || worstSize <= limit) return;
  throw new DataError(
    `column '${column}': row ${worst + 1} has ${values[worst]}, too large to fit on: sums and squares of the column overflow a double ` +
      `(scaled values must stay within ±${limit.toPrecision(2)}; scaler: ${scaler}); divide the column by a power of ten`,
  );
}
