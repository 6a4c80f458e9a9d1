import { z } from 'zod';
import { OptionsError } from '../../core/errors.js';
import { WINDOW_HINT, windowSeconds } from './window.js';

/** Per key: at most this many entities are remembered, the least recently seen forgotten first. */
export const DEFAULT_MAX_ENTITIES = 100_000;
/** Per entity: at most this many recent events are kept, so a window's count stops growing here. */
export const DEFAULT_MAX_EVENTS_PER_ENTITY = 1000;

/**
 * Per-entity features: for each key column and window, what the entity did in the window before
 * each row (counts, sums and means of value columns, distinct counts of other columns), the time
 * since its previous row and how far each value is from the entity's own history (z).
 */
export const entityFeaturesSchema = z
  .object({
    /** Key columns: card, customer, ip, user, host. */
    keys: z.array(z.string().min(1)).min(1),
    /** The time column: timestamps, or numbers in `timeUnit`. */
    time: z.string().min(1),
    windows: z
      .array(z.string())
      .min(1)
      .superRefine((ws, ctx) => {
        for (const w of ws) if (windowSeconds(w) === undefined) ctx.addIssue({ code: 'custom', message: `window '${w}' is not a duration: use ${WINDOW_HINT}` });
      }),
    /** Numeric columns to sum, average and z-score per entity; default every numeric column but the keys and time. */
    values: z.array(z.string()).optional(),
    /** Columns whose distinct count per entity and window is a feature. */
    distinct: z.array(z.string()).default([]),
    maxEntities: z.number().int().min(1).max(100_000_000).default(DEFAULT_MAX_ENTITIES),
    maxEventsPerEntity: z.number().int().min(1).max(10_000_000).default(DEFAULT_MAX_EVENTS_PER_ENTITY),
    /** What a numeric time column counts; timestamp columns are dates and need none. */
    timeUnit: z.enum(['s', 'ms']).default('s'),
  })
  .strict();

export type EntityFeaturesSpec = z.input<typeof entityFeaturesSchema>;
export type ResolvedEntitySpec = z.output<typeof entityFeaturesSchema>;

/** Validates a spec; the first problem is an OptionsError naming it. */
export function parseEntitySpec(spec: unknown): ResolvedEntitySpec {
  const r = entityFeaturesSchema.safeParse(spec);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new OptionsError(`entity ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  }
  const s = r.data;
  const dup = (xs: string[]): string | undefined => xs.find((x, k) => xs.indexOf(x) !== k);
  const twice = dup(s.keys) ?? dup(s.windows) ?? dup(s.distinct) ?? dup(s.values ?? []);
  if (twice !== undefined) throw new OptionsError(`entity: '${twice}' is listed twice`);
  if (s.keys.includes(s.time)) throw new OptionsError(`entity: '${s.time}' cannot be both a key and the time column`);
  const timeUsed = [...(s.values ?? []), ...s.distinct].includes(s.time);
  if (timeUsed) throw new OptionsError(`entity: the time column '${s.time}' cannot be a value or distinct column`);
  const keyValue = (s.values ?? []).find((v) => s.keys.includes(v));
  if (keyValue !== undefined) throw new OptionsError(`entity: key column '${keyValue}' cannot be a value column`);
  return s;
}
