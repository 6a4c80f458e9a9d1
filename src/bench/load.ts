import { basename } from 'node:path';
import { DataError } from '../core/errors.js';
import { matrix } from '../core/matrix.js';
import { columnIndex, inferSchema, labelsFromColumn, readTable, toFrame } from '../data/index.js';
import type { LabeledSet } from './tabular.js';

/** A benchmark CSV: every column numeric, plus a 0/1 label column. */
export async function loadLabeledSet(path: string, label: string): Promise<LabeledSet> {
  const table = await readTable(path);
  const y = labelsFromColumn(table, label);
  const li = columnIndex(table.header, label, table.source);
  const names = table.header.filter((_, j) => j !== li);
  const rows = table.rows.map((r) => r.filter((_, j) => j !== li));
  const frame = toFrame(inferSchema(names, rows, { source: table.source }), rows, 1, table.source);
  const X = matrix(frame.rows, names.length);
  frame.columns.forEach((c, j) => {
    if (c.kind !== 'numeric') throw new DataError(`${path}: column '${c.name}' is not numeric; benchmark files are numeric`);
    for (let i = 0; i < frame.rows; i++) {
      const v = c.values[i]!;
      if (Number.isNaN(v)) throw new DataError(`${path}: column '${c.name}' row ${i + 1} is missing; benchmark files have no gaps`);
      X.data[i * X.cols + j] = v;
    }
  });
  return { name: basename(path).replace(/\.csv(\.gz)?$/i, ''), X, y };
}
