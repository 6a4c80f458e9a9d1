/**
 * The column report: what `Model.fit` did with each column and why, and the classic mistakes it
 * saw (an id, a forgotten label, a capped categorical). Plain data, saved in the model file and
 * shown by `vigil fit` and `vigil inspect`.
 */
import { z } from 'zod';
import type { ColumnKind, Frame } from '../data/frame.js';
import { distinctCount, isZeroOne, looksLikeClock, looksLikeId, namedLikeLabel } from '../data/column-roles.js';
import { rankByFrequency } from '../preprocess/index.js';

export const COLUMN_ROLES = ['feature', 'label', 'id', 'entity', 'timestamp', 'ignored'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

const entrySchema = z
  .object({
    name: z.string(),
    role: z.enum(COLUMN_ROLES),
    /** The kind read from the data; absent for columns the caller set aside before the fit. */
    kind: z.enum(['numeric', 'categorical', 'timestamp']).optional(),
    /** Categorical features: distinct values in training. */
    levels: z.number().int().min(0).optional(),
    /** Set when there were more levels than this: only the most frequent `cap` got their own feature. */
    cap: z.number().int().min(1).optional(),
    /** Why the column has this role. */
    reason: z.string().optional(),
  })
  .strict();
export type ColumnEntry = z.infer<typeof entrySchema>;

export const WARNING_CODES = ['id-like', 'label-like', 'capped'] as const;
const warningSchema = z.object({ column: z.string(), code: z.enum(WARNING_CODES), message: z.string() }).strict();
export type ColumnWarning = z.infer<typeof warningSchema>;

export const columnReportSchema = z.object({ columns: z.array(entrySchema), warnings: z.array(warningSchema) }).strict();
export type ColumnReport = z.infer<typeof columnReportSchema>;

/** A column the caller kept out of the frame (a label, an id, an ignored column) and why. */
export interface SetAside {
  name: string;
  role: 'label' | 'id' | 'ignored' | 'entity' | 'timestamp';
  reason: string;
}

/**
 * Decides which of a frame's columns are features and reports on all of them. Timestamps (a
 * column of dates, or a never-decreasing number named like a timestamp) are not features: as
 * features they would make every later row look new. Ids, 0/1 columns named like labels and
 * capped categoricals stay features (the data may mean them) but get a warning.
 */
export function planColumns(frame: Frame, maxLevels: number, setAside: readonly SetAside[] = []): { features: Frame; report: ColumnReport } {
  const columns: ColumnEntry[] = [];
  const warnings: ColumnWarning[] = [];
  const features: Frame['columns'] = [];
  for (const c of frame.columns) {
    const kind: ColumnKind = c.kind;
    if (c.kind === 'timestamp') {
      columns.push({ name: c.name, role: 'timestamp', kind, reason: 'holds dates and times' });
      continue;
    }
    if (looksLikeClock(c)) {
      columns.push({ name: c.name, role: 'timestamp', kind, reason: 'named like a timestamp and never decreasing' });
      continue;
    }
    features.push(c);
    const entry: ColumnEntry = { name: c.name, role: 'feature', kind };
    columns.push(entry);
    const idLike = looksLikeId(c, frame.rows);
    if (idLike) {
      warnings.push({
        column: c.name,
        code: 'id-like',
        message: `'${c.name}' looks like an id (a different ${c.kind === 'categorical' ? 'text' : 'whole number'} in every row) but is used as a feature`,
      });
    }
    if (c.kind === 'numeric' && isZeroOne(c) && namedLikeLabel(c.name)) {
      warnings.push({ column: c.name, code: 'label-like', message: `'${c.name}' holds only 0/1 and is named like a label, but is used as a feature` });
    }
    if (c.kind === 'categorical') {
      entry.levels = distinctCount(c);
      if (entry.levels > maxLevels) {
        entry.cap = maxLevels;
        if (!idLike) warnings.push({ column: c.name, code: 'capped', message: cappedMessage(c.name, c.values, maxLevels, frame.rows) });
      }
    }
  }
  for (const s of setAside) columns.push({ name: s.name, role: s.role, reason: s.reason });
  return { features: { rows: frame.rows, columns: features }, report: { columns, warnings } };
}

function cappedMessage(name: string, values: readonly (string | null)[], cap: number, rows: number): string {
  const ranked = rankByFrequency(values);
  const kept = new Set(ranked.slice(0, cap));
  let other = 0;
  for (const v of values) if (v !== null && !kept.has(v)) other++;
  const share = (100 * other) / rows;
  return `'${name}' has ${ranked.length} levels, capped at the ${cap} most frequent: the other ${ranked.length - cap} (${share < 1 ? share.toFixed(1) : Math.round(share)}% of rows) share one '<other>' feature`;
}
