/** Schemas and route metadata shared by the plugins. */
import { z } from 'zod';

export const errorSchema = z.object({ error: z.string(), message: z.string() }).describe('Every error answer');

export const idParams = z.object({ id: z.string().min(1).max(100) });

/** Route schema parts for the OpenAPI document: the bearer scheme, and the error answers. */
export const secured = { security: [{ bearer: [] }] };

export const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
};

/** A time as epoch milliseconds or an ISO 8601 string with an offset, read as epoch milliseconds. */
export const timeSchema = z
  .union([z.number().finite(), z.string().datetime({ offset: true })])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))
  .describe('epoch milliseconds, or ISO 8601 with an offset');

/** A time in a query string: digits (epoch ms) or ISO 8601. */
export const queryTimeSchema = z
  .string()
  .refine((s) => /^-?\d+$/.test(s) || (/^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s))), 'expected epoch milliseconds or an ISO 8601 time')
  .transform((s) => (/^-?\d+$/.test(s) ? Number(s) : Date.parse(s)));
