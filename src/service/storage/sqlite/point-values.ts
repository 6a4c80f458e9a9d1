/**
 * A point's values in its row (migration 005): a point whose only channel is `value` stores the
 * number in the REAL column `value` (loneValue), any other point a JSON object in `vals`. Exactly
 * one is set.
 */
export const decodeValues = (value: number | null, vals: string | null): Record<string, number> =>
  vals === null ? { value: value! } : (JSON.parse(vals) as Record<string, number>);
