import { checkFinite } from '../../core/check-finite.js';
import { DataError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';

/** What every series detector requires of a series it fits or scores: finite values, and more steps than its context. */
export function checkSeries(series: Matrix, name: string, context: number, what: 'fit' | 'score'): void {
  checkFinite(series, name);
  if (series.rows < context + 1) {
    throw new DataError(`${name} ${what} needs at least ${context + 1} steps (context ${context} + 1), got ${series.rows}`);
  }
}
