import { DataError } from '../core/errors.js';
import type { Frame, NumericColumn } from './frame.js';
import { toFrame } from './convert.js';
import { inferSchema } from './schema.js';
import { checkHeader, rawCell, type RawRow } from './table.js';
import type { FrameOptions } from './text-frames.js';

/**
 * A frame from plain records, as a library user has them. Columns are the union of keys in
 * first-seen order; an absent key, null, undefined or NaN is missing. Numbers, strings, booleans
 * and Dates are read by the same rules as file cells (a Date becomes an ISO timestamp), so a
 * frame built here matches one read from the same data in a file.
 */
export function frameFromObjects(rows: readonly Record<string, unknown>[], opts: FrameOptions = {}): Frame {
  const index = new Map<string, number>();
  for (const r of rows) for (const k of Object.keys(r)) if (!index.has(k)) index.set(k, index.size);
  const header = [...index.keys()];
  checkHeader(header, opts.source, false);
  const raw: RawRow[] = rows.map((r, i) => {
    const row: RawRow = new Array<string | null>(header.length).fill(null);
    for (const k of Object.keys(r)) {
      const v = rawCell(r[k]);
      if (v === undefined) throw new DataError(`row ${i + 1}: field '${k}' holds a ${kindOf(r[k])}; only flat values are supported`);
      row[index.get(k)!] = v;
    }
    return row;
  });
  return toFrame(inferSchema(header, raw, opts), raw, 1, opts.source);
}

/** A numeric frame from rows of numbers. NaN is missing; names default to x0, x1, ... */
export function frameFromArrays(rows: readonly (readonly number[])[], names?: readonly string[]): Frame {
  const d = names?.length ?? rows[0]?.length ?? 0;
  const header = names ? [...names] : Array.from({ length: d }, (_, j) => `x${j}`);
  checkHeader(header, undefined, false);
  const columns: NumericColumn[] = header.map((name) => ({ name, kind: 'numeric', values: new Float64Array(rows.length) }));
  rows.forEach((r, i) => {
    if (r.length !== d) throw new DataError(`row ${i + 1} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) {
      const v = r[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
        throw new DataError(`column '${header[j]}': row ${i + 1} has '${String(v)}' where a number is expected`);
      }
      columns[j]!.values[i] = v;
    }
  });
  return { rows: rows.length, columns };
}

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'list' : typeof v;
}
