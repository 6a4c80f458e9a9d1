/**
 * Tables to time series: what series detectors read (src/detectors/series). A table has a
 * timestamp column, one or more value columns and, optionally, an id column keying many series in
 * one file. The policy, applied per series (rows of one id, in file order):
 *
 * - Timestamps are ISO-8601 date-times or epoch numbers (any unit: the interval is in the same
 *   unit). They must be strictly increasing: a row earlier than the one before is a DataError
 *   naming both rows (sort the file), a repeated timestamp is a DataError too; `dropOutOfOrder`
 *   drops such rows instead and counts them. A missing timestamp is an error.
 * - The interval is the median spacing. Spacing within half an interval of it counts as one step
 *   (jitter is kept, not snapped). A longer spacing is a gap of round(spacing / interval) - 1
 *   missing steps.
 * - Missing values and gaps of up to `maxGap` steps are filled by linear interpolation between
 *   the neighbouring values of the same channel (leading and trailing missing values take the
 *   nearest present value). A longer run is a DataError naming the rows: filling it would invent
 *   data, and silently splitting the series would change what a detector's windows mean; raise
 *   `maxGap` or split the file.
 * - Text in a value column is a DataError naming the row and the column.
 */
import { DataError, OptionsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import { median } from '../core/stats.js';
import { unknownColumnError } from './columns.js';
import { toFrame } from './convert.js';
import { columnByName, type Column, type Frame } from './frame.js';
import { inferSchema } from './schema.js';
import { at, type RawTable } from './table.js';
import { parseNumber } from './values.js';

/** Column names taken as the timestamp when none is given, compared case-insensitively. */
export const TIMESTAMP_NAMES: readonly string[] = ['timestamp', 'time', 'date', 'datetime', 'ts'];

/** The column taken as the timestamp when none is named: the first named as in TIMESTAMP_NAMES. */
export function timestampColumnOf(header: readonly string[]): string | undefined {
  return header.find((h) => TIMESTAMP_NAMES.includes(h.trim().toLowerCase()));
}

/** Longest run of missing steps filled by default. */
export const DEFAULT_MAX_GAP = 5;

export interface SeriesOptions {
  /** The timestamp column; default the first column named as in TIMESTAMP_NAMES. */
  timestamp?: string;
  /** Value columns (channels), in this order; default every other column. */
  values?: readonly string[];
  /** Column whose value keys each row's series. */
  seriesId?: string;
  /** Longest run of missing steps (missing values or a time gap) that is filled; default 5. */
  maxGap?: number;
  /**
   * Drop a row whose timestamp is not after the last kept row's, instead of failing (for logs
   * that repeat an hour at a clock change); the count is in `dropped`. Default false.
   */
  dropOutOfOrder?: boolean;
  /** Names the input in messages. */
  source?: string;
}

export interface TimeSeries {
  /** The id column's value, or null for a file holding one series. */
  id: string | null;
  channels: string[];
  /** One per step: the file's timestamps, with filled steps on the grid between them. */
  timestamps: Float64Array;
  /** steps x channels. */
  series: Matrix;
  /** Data row number (1 = first row after the header) of each step; 0 for a step filled into a gap. */
  rows: Int32Array;
  /** Median spacing, in the timestamps' unit (ms for ISO timestamps). */
  interval: number;
  /** Values filled by interpolation (missing values plus gap steps times channels). */
  filled: number;
  /** Rows dropped for being out of time order (only with dropOutOfOrder). */
  dropped: number;
}

/** Series from a raw table (CSV or NDJSON as read by readTable). */
export function seriesFromTable(table: RawTable, o: SeriesOptions = {}): TimeSeries[] {
  const source = o.source ?? table.source;
  const timestamp = o.timestamp ?? findTimestamp(table.header, source);
  const categorical = o.seriesId ? [o.seriesId] : [];
  if (o.seriesId && !table.header.includes(o.seriesId)) throw unknownColumnError(o.seriesId, table.header, source);
  const specs = inferSchema(table.header, table.rows, { categorical, source });
  return seriesFromFrame(toFrame(specs, table.rows, 1, source), { ...o, timestamp, source });
}

function findTimestamp(header: readonly string[], source: string | undefined): string {
  const name = timestampColumnOf(header);
  if (!name) {
    throw new DataError(
      `${at(source)}no timestamp column (looked for ${TIMESTAMP_NAMES.join(', ')}; columns: ${header.join(', ')}); name it with the timestamp option`,
    );
  }
  return name;
}

/** Series from a typed frame; see the module comment for the policy. */
export function seriesFromFrame(frame: Frame, o: SeriesOptions = {}): TimeSeries[] {
  const source = o.source;
  const names = frame.columns.map((c) => c.name);
  const maxGap = o.maxGap ?? DEFAULT_MAX_GAP;
  if (!(Number.isInteger(maxGap) && maxGap >= 0)) throw new OptionsError(`maxGap must be a whole number >= 0, got ${maxGap}`);
  const tsName = o.timestamp ?? findTimestamp(names, source);
  const ts = columnByName(frame, tsName);
  if (!ts) throw unknownColumnError(tsName, names, source);
  const times = timestampValues(ts, source);
  const idCol = o.seriesId === undefined ? undefined : columnByName(frame, o.seriesId);
  if (o.seriesId !== undefined && !idCol) throw unknownColumnError(o.seriesId, names, source);
  const valueNames = o.values ? [...o.values] : names.filter((n) => n !== tsName && n !== o.seriesId);
  if (!valueNames.length) throw new DataError(`${at(source)}no value columns besides the timestamp '${tsName}'`);
  const values = valueNames.map((n) => {
    const c = columnByName(frame, n);
    if (!c) throw unknownColumnError(n, names, source);
    if (n === tsName || n === o.seriesId) throw new OptionsError(`column '${n}' cannot be both a value and the ${n === tsName ? 'timestamp' : 'series id'}`);
    return numericValues(c, source);
  });
  const groups = groupRows(frame.rows, idCol, source);
  return [...groups].map(([id, rows]) => {
    const kept = o.dropOutOfOrder ? inOrder(rows, times) : rows;
    return { ...buildSeries(id, kept, times, values, valueNames, maxGap, source), dropped: rows.length - kept.length };
  });
}

/** The rows whose timestamp is after every kept row's before them. */
function inOrder(rows: number[], times: Float64Array): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const r of rows) {
    if (times[r]! > last) {
      out.push(r);
      last = times[r]!;
    }
  }
  return out;
}

function timestampValues(c: Column, source: string | undefined): Float64Array {
  if (c.kind === 'categorical') {
    const i = c.values.findIndex((v) => v !== null);
    throw new DataError(`${at(source)}column '${c.name}': row ${i + 1} has '${c.values[i]}' where a timestamp (ISO-8601 or epoch number) is expected`);
  }
  const i = c.values.findIndex((v) => Number.isNaN(v));
  if (i >= 0) throw new DataError(`${at(source)}column '${c.name}': row ${i + 1} has no timestamp`);
  return c.values;
}

function numericValues(c: Column, source: string | undefined): Float64Array {
  if (c.kind === 'numeric') return c.values;
  if (c.kind === 'timestamp') throw new DataError(`${at(source)}column '${c.name}' holds timestamps, not values; leave it out of the value columns`);
  const i = c.values.findIndex((v) => v !== null && parseNumber(v) === undefined);
  const hint = ' (if it keys several series, name it as the series id; otherwise leave it out of the value columns)';
  throw new DataError(`${at(source)}column '${c.name}': row ${i + 1} has '${c.values[i]}' where a number is expected${hint}`);
}

function groupRows(n: number, id: Column | undefined, source: string | undefined): Map<string | null, number[]> {
  const out = new Map<string | null, number[]>();
  for (let i = 0; i < n; i++) {
    let key: string | null = null;
    if (id) {
      const v = id.values[i];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) throw new DataError(`${at(source)}column '${id.name}': row ${i + 1} has no series id`);
      key = String(v);
    }
    let rows = out.get(key);
    if (!rows) out.set(key, (rows = []));
    rows.push(i);
  }
  return out;
}

function buildSeries(
  id: string | null,
  rows: number[],
  times: Float64Array,
  values: Float64Array[],
  channels: string[],
  maxGap: number,
  source: string | undefined,
): Omit<TimeSeries, 'dropped'> {
  const of = id === null ? '' : `series '${id}': `;
  const where = `${at(source)}${of}`;
  if (rows.length < 2) throw new DataError(`${where}a series needs at least 2 rows, got ${rows.length}`);
  const diffs = new Float64Array(rows.length - 1);
  for (let k = 1; k < rows.length; k++) {
    const d = times[rows[k]!]! - times[rows[k - 1]!]!;
    if (d === 0) throw new DataError(`${where}row ${rows[k]! + 1} repeats the timestamp of row ${rows[k - 1]! + 1} (or set dropOutOfOrder to drop such rows)`);
    if (d < 0) throw new DataError(`${where}row ${rows[k]! + 1} is earlier than row ${rows[k - 1]! + 1}: timestamps must increase (sort the file by time, or set dropOutOfOrder to drop such rows)`);
    diffs[k - 1] = d;
  }
  const interval = median(diffs);
  // Steps of the regular grid: each row, plus the missing steps of each gap.
  const stepRows: number[] = [rows[0]!];
  const stepTimes: number[] = [times[rows[0]!]!];
  for (let k = 1; k < rows.length; k++) {
    const missing = Math.max(0, Math.round(diffs[k - 1]! / interval) - 1);
    if (missing > maxGap) {
      throw new DataError(
        `${where}rows ${rows[k - 1]! + 1} and ${rows[k]! + 1} are ${missing + 1} intervals apart, a gap of ${missing} steps; ` +
          `at most ${maxGap} are filled (raise maxGap, or split the series)`,
      );
    }
    const t0 = times[rows[k - 1]!]!;
    const step = diffs[k - 1]! / (missing + 1);
    for (let g = 1; g <= missing; g++) {
      stepRows.push(-1);
      stepTimes.push(t0 + g * step);
    }
    stepRows.push(rows[k]!);
    stepTimes.push(times[rows[k]!]!);
  }
  const steps = stepRows.length;
  const d = channels.length;
  const series = matrix(steps, d);
  let filled = 0;
  for (let j = 0; j < d; j++) {
    const v = new Float64Array(steps);
    for (let s = 0; s < steps; s++) v[s] = stepRows[s]! < 0 ? NaN : values[j]![stepRows[s]!]!;
    filled += fillMissing(v, maxGap, (s) => describeStep(stepRows, s), `${where}column '${channels[j]}'`);
    for (let s = 0; s < steps; s++) series.data[s * d + j] = v[s]!;
  }
  return {
    id,
    channels: [...channels],
    timestamps: Float64Array.from(stepTimes),
    series,
    rows: Int32Array.from(stepRows, (r) => r + 1),
    interval,
    filled,
  };
}

function describeStep(stepRows: number[], s: number): string {
  if (stepRows[s]! >= 0) return `row ${stepRows[s]! + 1}`;
  let k = s;
  while (k > 0 && stepRows[k]! < 0) k--;
  return `the gap after row ${stepRows[k]! + 1}`;
}

/** Fills NaN runs in place by linear interpolation (ends: nearest value); returns how many. */
function fillMissing(v: Float64Array, maxGap: number, step: (s: number) => string, where: string): number {
  let filled = 0;
  let s = 0;
  while (s < v.length) {
    if (!Number.isNaN(v[s]!)) {
      s++;
      continue;
    }
    let e = s;
    while (e < v.length && Number.isNaN(v[e]!)) e++;
    const run = e - s;
    if (s === 0 && e === v.length) throw new DataError(`${where} has no values`);
    if (run > maxGap) throw new DataError(`${where}: ${run} missing steps from ${step(s)} to ${step(e - 1)}; at most ${maxGap} are filled (raise maxGap)`);
    const left = s > 0 ? v[s - 1]! : v[e]!;
    const right = e < v.length ? v[e]! : left;
    for (let k = s; k < e; k++) v[k] = s === 0 || e === v.length ? (s === 0 ? right : left) : left + ((right - left) * (k - s + 1)) / (run + 1);
    filled += run;
    s = e;
  }
  return filled;
}
