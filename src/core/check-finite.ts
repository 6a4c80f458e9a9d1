import { DataError } from './errors.js';
import type { Matrix } from './matrix.js';

/** Rejects an empty matrix or one holding NaN or an infinity, naming the first bad cell. */
export function checkFinite(X: Matrix, name: string): void {
  if (X.rows === 0) throw new DataError(`${name}: no rows`);
  for (let k = 0; k < X.data.length; k++) {
    if (!Number.isFinite(X.data[k])) {
      throw new DataError(`${name}: row ${Math.floor(k / X.cols)}, column ${k % X.cols} is not a finite number (${X.data[k]})`);
    }
  }
}
