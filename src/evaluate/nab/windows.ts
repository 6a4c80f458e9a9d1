/**
 * A NAB data file prepared for scoring: its anomaly windows as row ranges, and which rows are
 * probationary. NAB's label files give windows as timestamps; a window holds the rows whose
 * timestamp lies in [start, end] (numenta/NAB nab/scorer.py, Window). Scoring then depends only
 * on row positions, never on elapsed time.
 */
import { DataError } from '../../core/errors.js';
import { probationLength } from './probation.js';
import { upperBound } from '../../core/search.js';

/** One data file: timestamps (ms since the epoch, in file order), the detector's scores, the windows. */
export interface NabFile {
  /** The combined_windows.json key, e.g. 'realKnownCause/nyc_taxi.csv'. */
  name: string;
  timestamps: ArrayLike<number>;
  scores: ArrayLike<number>;
  /** Anomaly windows as [start, end] timestamps, inclusive. */
  windows: readonly (readonly [number, number])[];
}

/** A window's first and last row and its number of rows (contiguous unless timestamps go back in time). */
export interface WindowRows {
  first: number;
  last: number;
  length: number;
}

export interface PreparedFile {
  name: string;
  rows: number;
  scores: ArrayLike<number>;
  windows: WindowRows[];
  /** Rows with index < probation are ignored. */
  probation: number;
  /** For each row, the index of the window containing it, or -1. */
  inWindow: Int32Array;
  /** For each row, the window whose last row is the closest before it, or -1. */
  preceding: Int32Array;
}

export function prepareFile(file: NabFile, probationPercent?: number): PreparedFile {
  const { name, timestamps, scores } = file;
  const rows = timestamps.length;
  if (scores.length !== rows) throw new DataError(`${name}: ${rows} timestamps but ${scores.length} anomaly scores`);
  for (let i = 0; i < rows; i++) {
    if (Number.isNaN(timestamps[i]!)) throw new DataError(`${name}: timestamp on row ${i + 1} is missing`);
    if (Number.isNaN(scores[i]!)) throw new DataError(`${name}: anomaly score on row ${i + 1} is missing`);
  }
  const limits = [...file.windows].sort((a, b) => a[0] - b[0]);
  limits.forEach(([start, end], w) => {
    if (!(end >= start)) throw new DataError(`${name}: window [${iso(start)}, ${iso(end)}] ends before it starts`);
    if (w > 0 && start <= limits[w - 1]![1]) throw new DataError(`${name}: anomaly windows ${w} and ${w + 1} overlap`);
  });
  const starts = limits.map((l) => l[0]);
  // Membership by timestamp, row by row: NAB's files are not always in time order (one repeats an
  // hour), so a window is the set of rows whose timestamp falls in it, as pandas filters it in NAB.
  const inWindow = new Int32Array(rows).fill(-1);
  const windows: WindowRows[] = limits.map(() => ({ first: -1, last: -1, length: 0 }));
  for (let i = 0; i < rows; i++) {
    const t = timestamps[i]!;
    const w = upperBound(starts, t) - 1;
    if (w < 0 || t > limits[w]![1]) continue;
    inWindow[i] = w;
    const win = windows[w]!;
    if (win.first < 0) win.first = i;
    win.last = i;
    win.length++;
  }
  windows.forEach((win, w) => {
    if (!win.length) throw new DataError(`${name}: window [${iso(limits[w]![0])}, ${iso(limits[w]![1])}] holds no rows`);
  });
  // The window "preceding" a row is the one whose last row is closest before it (NAB's
  // getClosestPrecedingWindow), found by walking windows in order of their last row.
  const byLast = windows.map((_, w) => w).sort((a, b) => windows[a]!.last - windows[b]!.last);
  const preceding = new Int32Array(rows).fill(-1);
  let prev = -1;
  let k = 0;
  for (let i = 0; i < rows; i++) {
    while (k < byLast.length && windows[byLast[k]!]!.last < i) prev = byLast[k++]!;
    preceding[i] = prev;
  }
  return { name, rows, scores, windows, probation: probationLength(rows, probationPercent), inWindow, preceding };
}

function iso(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : String(t);
}
