/** Frames for the kits built straight from generated columns (no text round trip), and time splits. */
import type { Column, Frame } from '../../data/frame.js';
import { selectFrameRows } from '../../data/frame.js';
import { lowerBound } from '../../core/search.js';

export type ColumnValues = Float64Array | (string | null)[];

/** A frame of named columns: Float64Array numeric, string arrays categorical. */
export function frameOf(columns: Record<string, ColumnValues>): Frame {
  const cols: Column[] = Object.entries(columns).map(([name, values]) =>
    values instanceof Float64Array ? { name, kind: 'numeric', values } : { name, kind: 'categorical', values },
  );
  return { rows: cols[0]?.values.length ?? 0, columns: cols };
}

/** Rows [from, to) of a frame. */
export function rowRange(frame: Frame, from: number, to: number): Frame {
  return selectFrameRows(frame, Array.from({ length: to - from }, (_, k) => from + k));
}

/** The first index whose time is at or after `t` (times sorted ascending). */
export function firstAtOrAfter(times: ArrayLike<number>, t: number): number {
  return lowerBound(times, t);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Every kit's data starts here, so their timestamps read as dates in 2026. */
export const KIT_START = Date.UTC(2026, 0, 5);
