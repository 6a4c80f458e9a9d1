/**
 * A compact column-major table: what readers produce and preprocessing consumes.
 * Missing numbers are NaN; missing categories are null.
 */
export type ColumnKind = 'numeric' | 'categorical' | 'timestamp';

export interface NumericColumn {
  name: string;
  kind: 'numeric';
  values: Float64Array;
}

export interface CategoricalColumn {
  name: string;
  kind: 'categorical';
  values: (string | null)[];
}

/** Milliseconds since the epoch (UTC); NaN where missing. */
export interface TimestampColumn {
  name: string;
  kind: 'timestamp';
  values: Float64Array;
}

export type Column = NumericColumn | CategoricalColumn | TimestampColumn;

export interface Frame {
  rows: number;
  columns: Column[];
}

/** The kind of each column, in order: fixed at fit time and saved with the model. */
export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

export function columnByName(frame: Frame, name: string): Column | undefined {
  return frame.columns.find((c) => c.name === name);
}

/** The rows at `idx`, in that order, as a new frame (for splits and folds). */
export function selectFrameRows(frame: Frame, idx: ArrayLike<number>): Frame {
  const n = idx.length;
  const columns = frame.columns.map((c): Column => {
    if (c.kind === 'categorical') return { ...c, values: Array.from({ length: n }, (_, k) => c.values[idx[k]!] ?? null) };
    const values = new Float64Array(n);
    for (let k = 0; k < n; k++) values[k] = c.values[idx[k]!]!;
    return { ...c, values };
  });
  return { rows: n, columns };
}
