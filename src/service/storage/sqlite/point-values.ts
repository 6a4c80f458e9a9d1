/**
 * A point's values in its row (migration 005): a point whose only channel is `value` stores the
 * number in the REAL column `value`, any other point a JSON object in `vals`. Exactly one is set.
 */
export interface ValueColumns {
  value: number | null;
  vals: string | null;
}

/** The one channel stored as a number. */
const SINGLE = 'value';

/** The `value` column for these values: the number when `value` is their only channel, else null (then `vals` holds them). */
export function loneValue(values: Record<string, number>): number | null {
  let n = 0;
  for (const k in values) if (++n > 1 || k !== SINGLE) return null;
  return n === 1 ? values[SINGLE]! : null;
}

export function encodeValues(values: Record<string, number>): ValueColumns {
  const value = loneValue(values);
  return value === null ? { value: null, vals: JSON.stringify(values) } : { value, vals: null };
}

export const decodeValues = (value: number | null, vals: string | null): Record<string, number> =>
  vals === null ? { [SINGLE]: value! } : (JSON.parse(vals) as Record<string, number>);
