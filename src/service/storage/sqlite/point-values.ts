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

export function encodeValues(values: Record<string, number>): ValueColumns {
  let only: number | undefined;
  let n = 0;
  for (const k in values) {
    if (++n > 1 || k !== SINGLE) return { value: null, vals: JSON.stringify(values) };
    only = values[k];
  }
  return only === undefined ? { value: null, vals: '{}' } : { value: only, vals: null };
}

export const decodeValues = (value: number | null, vals: string | null): Record<string, number> =>
  vals === null ? { [SINGLE]: value! } : (JSON.parse(vals) as Record<string, number>);
