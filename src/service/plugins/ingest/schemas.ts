import { z } from 'zod';
import { timeSchema } from '../common/schemas.js';

/** Most points in one request (a body also has a size limit). */
export const MAX_POINTS_PER_REQUEST = 100_000;

const finite = z.number({ invalid_type_error: 'expected a finite number' }).finite('expected a finite number (not NaN or Infinity)');

export const pointSchema = z
  .object({
    t: timeSchema,
    key: z.string().max(200).optional().describe('the series within the stream (a host, a card, a merchant)'),
    value: finite.optional(),
    values: z
      .record(finite)
      .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 100, 'expected 1 to 100 channels')
      .optional(),
  })
  .strict()
  .refine((p) => (p.value === undefined) !== (p.values === undefined), { message: 'give value or values (one of them)', path: ['value'] });

export const ingestBody = z
  .object({ points: z.array(pointSchema).min(1).max(MAX_POINTS_PER_REQUEST) })
  .strict()
  .describe('JSON; or NDJSON (application/x-ndjson, one point a line); or CSV (text/csv: a header with t, optional key, and value or channel columns)');

export const accepted = z.object({ accepted: z.number().int().describe('points committed') });
