import { DataError } from './errors.js';
import type { Matrix } from './matrix.js';

/**
 * The largest magnitude a feature may have for the statistics detectors take of it to stay
 * finite over `n` rows: a sum of n squared differences of two values, (2x)^2 * n, must not
 * overflow a double. Beyond it a variance, a distance or a covariance becomes Infinity or NaN
 * while every input value is finite.
 */
export function safeMagnitude(n: number): number {
  return Math.sqrt(Number.MAX_VALUE / (4 * Math.max(1, n)));
}

/** Rejects an empty matrix or one holding NaN or an infinity, naming the first bad cell. */
export function checkFinite(X: Matrix, name: string): void {
  if (X.rows === 0) throw new DataError(`${name}: no rows`);
  for (let k = 0; k < X.data.length; k++) {
    if (!Number.isFinite(X.data[k])) {
      throw new DataError(`${name}: row ${Math.floor(k / X.cols)}, column ${k % X.cols} is not a finite number (${X.data[k]})`);
    }
  }
}
