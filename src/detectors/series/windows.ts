import { DataError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';

/**
 * Sliding windows of a series as rows: window i holds steps start+i*step .. start+i*step+length-1,
 * flattened time-major (step 0's channels, then step 1's, ...), the [time, features] layout the
 * engine's sequence layers read.
 */
export function slidingWindows(series: Matrix, length: number, step = 1, start = 0): Matrix {
  if (length < 1 || step < 1) throw new DataError(`window length and step must be positive, got ${length} and ${step}`);
  const usable = series.rows - start - length;
  if (usable < 0) throw new DataError(`a window of ${length} steps needs a series of at least ${length + start} steps, got ${series.rows}`);
  const n = Math.floor(usable / step) + 1;
  const w = length * series.cols;
  const out = matrix(n, w);
  for (let i = 0; i < n; i++) {
    const from = (start + i * step) * series.cols;
    out.data.set(series.data.subarray(from, from + w), i * w);
  }
  return out;
}
