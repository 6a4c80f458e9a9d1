import { DataError } from '../core/errors.js';
import type { Frame } from './frame.js';
import { at } from './table.js';

/** "unknown column 'lbl' (columns: a, b, c)" */
export function unknownColumnError(name: string, available: readonly string[], source?: string): DataError {
  return new DataError(`${at(source)}unknown column '${name}' (columns: ${available.join(', ')})`);
}

/** Position of a column by name; an unknown name is a DataError listing what there is. */
export function columnIndex(header: readonly string[], name: string, source?: string): number {
  const j = header.indexOf(name);
  if (j < 0) throw unknownColumnError(name, header, source);
  return j;
}

export interface Selection {
  /** Keep only these, in this order (default: every column). */
  include?: readonly string[];
  /** Then leave these out: the label, ids, anything the user ignores. */
  exclude?: readonly string[];
}

/** The column names a selection leaves, in header order unless `include` gives an order. */
export function selectColumns(header: readonly string[], sel: Selection = {}, source?: string): string[] {
  for (const name of [...(sel.include ?? []), ...(sel.exclude ?? [])]) columnIndex(header, name, source);
  const dropped = new Set(sel.exclude ?? []);
  return (sel.include ?? header).filter((name) => !dropped.has(name));
}

/** The frame without the named columns. */
export function dropColumns(frame: Frame, names: readonly string[]): Frame {
  const have = frame.columns.map((c) => c.name);
  for (const name of names) columnIndex(have, name);
  const dropped = new Set(names);
  return { rows: frame.rows, columns: frame.columns.filter((c) => !dropped.has(c.name)) };
}
