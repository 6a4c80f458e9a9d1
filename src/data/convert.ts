import { DataError } from '../core/errors.js';
import type { Column, ColumnSpec, Frame } from './frame.js';
import { badValue } from './schema.js';
import { at, raggedError, type RawRow } from './table.js';
import { isMissing, parseNumber, parseTimestamp } from './values.js';

/**
 * Converts raw rows (aligned to `specs`) to a frame under a fixed schema, as scoring does chunk
 * by chunk. `firstRowNumber` is the data row number of `rows[0]` (1 = first row after the
 * header) so an error in a later chunk names the row in the file.
 */
export function toFrame(specs: readonly ColumnSpec[], rows: readonly RawRow[], firstRowNumber = 1, source?: string): Frame {
  const n = rows.length;
  for (let i = 0; i < n; i++) {
    if (rows[i]!.length !== specs.length) throw raggedError(source, firstRowNumber + i, rows[i]!.length, specs.length);
  }
  const columns = specs.map((spec, j): Column => {
    switch (spec.kind) {
      case 'numeric':
      case 'timestamp': {
        const parse = spec.kind === 'numeric' ? parseNumber : parseTimestamp;
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = rows[i]![j] ?? null;
          if (isMissing(v)) {
            values[i] = NaN;
            continue;
          }
          const x = parse(v!);
          if (x === undefined) throw badValue(source, spec.name, firstRowNumber + i, v!, spec.kind === 'numeric' ? 'number' : 'timestamp');
          values[i] = x;
        }
        return { name: spec.name, kind: spec.kind, values };
      }
      case 'categorical': {
        const values = new Array<string | null>(n);
        for (let i = 0; i < n; i++) {
          const v = rows[i]![j] ?? null;
          values[i] = isMissing(v) ? null : trimmed(v!);
        }
        return { name: spec.name, kind: 'categorical', values };
      }
      default:
        throw new DataError(`${at(source)}column '${(spec as ColumnSpec).name}' has unknown kind '${(spec as ColumnSpec).kind}'`);
    }
  });
  return { rows: n, columns };
}

// ' red' and 'red' are the same category to anyone reading the file.
function trimmed(s: string): string {
  const last = s.length - 1;
  return s.charCodeAt(0) <= 32 || s.charCodeAt(last) <= 32 ? s.trim() : s;
}
