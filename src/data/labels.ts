import { DataError } from '../core/errors.js';
import { columnIndex } from './columns.js';
import type { Frame } from './frame.js';
import { at, type RawTable, type RawValue } from './table.js';
import { isMissing, parseNumber } from './values.js';

/**
 * Reads one label cell: 1 = anomaly, 0 = normal. Accepted spellings are any number equal to 0
 * or 1 ('0', '1', '0.0', '1.0') and true/false in any case. Anything else, missing included,
 * returns undefined: a label column with holes or other classes is a mistake worth stopping for.
 */
export function parseLabel(v: RawValue): 0 | 1 | undefined {
  if (isMissing(v)) return undefined;
  const n = parseNumber(v!);
  if (n === 0 || n === 1) return n;
  const s = v!.trim().toLowerCase();
  if (s === 'true') return 1;
  if (s === 'false') return 0;
  return undefined;
}

/** Labels from raw cells; `firstRowNumber` is the data row of values[0], for messages. */
export function parseLabels(values: readonly RawValue[], column: string, firstRowNumber = 1, source?: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const y = parseLabel(values[i] ?? null);
    if (y === undefined) throw badLabel(source, column, firstRowNumber + i, values[i] ?? null);
    out[i] = y;
  }
  return out;
}

/** The named column of a raw table as 0/1 labels. */
export function labelsFromColumn(table: RawTable, column: string): Uint8Array {
  const j = columnIndex(table.header, column, table.source);
  return parseLabels(
    table.rows.map((r) => r[j] ?? null),
    column,
    1,
    table.source,
  );
}

/** Splits the label column off a frame: the remaining feature columns and the 0/1 labels. */
export function splitLabel(frame: Frame, column: string): { frame: Frame; labels: Uint8Array } {
  const j = columnIndex(
    frame.columns.map((c) => c.name),
    column,
  );
  const c = frame.columns[j]!;
  if (c.kind === 'timestamp') throw new DataError(`label column '${column}' holds timestamps, not 0/1 labels`);
  const raw: RawValue[] =
    c.kind === 'categorical' ? c.values : Array.from(c.values, (x) => (Number.isNaN(x) ? null : String(x)));
  return {
    frame: { rows: frame.rows, columns: frame.columns.filter((_, k) => k !== j) },
    labels: parseLabels(raw, column),
  };
}

function badLabel(source: string | undefined, column: string, row: number, v: RawValue): DataError {
  const what = isMissing(v) ? 'no label' : `'${v!.length > 40 ? `${v!.slice(0, 37)}...` : v}'`;
  return new DataError(`${at(source)}label column '${column}': row ${row} has ${what}; labels must be 0/1 or true/false`);
}
