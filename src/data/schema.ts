import { DataError, OptionsError } from '../core/errors.js';
import type { ColumnKind, ColumnSpec } from './frame.js';
import { unknownColumnError } from './columns.js';
import { at, type RawRow } from './table.js';
import { TOO_LARGE, isMissing, overflows, parseNumber, parseTimestamp } from './values.js';

export interface InferOptions {
  /** Columns to treat as categories whatever they hold (e.g. numeric codes). */
  categorical?: string[];
  /** Columns that must be timestamps; a value that is not one is an error. */
  timestamp?: string[];
  /** Data row number of `sampleRows[0]` (1 = first row after the header), for messages. */
  firstRowNumber?: number;
  /** Names the input in messages. */
  source?: string;
}

/**
 * At least this share of a column's present values being numbers means the column is numeric
 * and the rest are typos, not a categorical column that happens to contain numbers.
 */
export const NUMERIC_MAJORITY = 0.9;

/**
 * Decides each column's kind from sample rows (aligned to `header`). A column is numeric when
 * every present value is a finite number, timestamp when every present value is an ISO-8601
 * date or date-time, categorical otherwise. A column with no present value is numeric (and then
 * shows up in `constantColumns`). A mostly-numeric column with a few texts is a data error.
 */
export function inferSchema(header: string[], sampleRows: readonly RawRow[], opts: InferOptions = {}): ColumnSpec[] {
  const { source } = opts;
  const first = opts.firstRowNumber ?? 1;
  const forced = new Map<string, ColumnKind>();
  for (const [names, kind] of [
    [opts.categorical ?? [], 'categorical'],
    [opts.timestamp ?? [], 'timestamp'],
  ] as const) {
    for (const name of names) {
      if (!header.includes(name)) throw unknownColumnError(name, header, source);
      if (forced.has(name) && forced.get(name) !== kind) {
        throw new OptionsError(`column '${name}' cannot be both categorical and timestamp`);
      }
      forced.set(name, kind);
    }
  }

  return header.map((name, j): ColumnSpec => {
    const want = forced.get(name);
    if (want === 'categorical') return { name, kind: 'categorical' };
    let present = 0;
    let numbers = 0;
    let times = 0;
    let firstNonNumber = -1;
    let firstNonTime = -1;
    for (let i = 0; i < sampleRows.length; i++) {
      const v = sampleRows[i]![j] ?? null;
      if (isMissing(v)) continue;
      present++;
      // A number too large for a double still makes the column numeric, so its row gets the error.
      if (want !== 'timestamp' && (parseNumber(v!) !== undefined || overflows(v))) numbers++;
      else if (firstNonNumber < 0) firstNonNumber = i;
      if (parseTimestamp(v!) !== undefined) times++;
      else if (firstNonTime < 0) firstNonTime = i;
    }
    const cell = (i: number) => sampleRows[i]![j]!;
    if (want === 'timestamp') {
      if (firstNonTime >= 0) throw badValue(source, name, first + firstNonTime, cell(firstNonTime), 'timestamp');
      return { name, kind: 'timestamp' };
    }
    if (numbers === present) return { name, kind: 'numeric' };
    if (times === present) return { name, kind: 'timestamp' };
    if (numbers >= NUMERIC_MAJORITY * present) {
      throw badValue(source, name, first + firstNonNumber, cell(firstNonNumber), 'number');
    }
    return { name, kind: 'categorical' };
  });
}

/** "column 'amount': row 17 has 'abc' where a number is expected" */
export function badValue(source: string | undefined, column: string, row: number, value: string, what: 'number' | 'timestamp'): DataError {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  if (what === 'number' && overflows(value)) return new DataError(`${at(source)}column '${column}': row ${row} has '${shown}', ${TOO_LARGE}`);
  return new DataError(`${at(source)}column '${column}': row ${row} has '${shown}' where a ${what} is expected`);
}
