import { z } from 'zod';
import { queryTimeSchema } from '../common/schemas.js';

/** Most points one read returns; a larger `limit` is a 400. */
export const MAX_READ_LIMIT = 10_000;

export const pointsQuery = z
  .object({
    from: queryTimeSchema.optional().describe('inclusive; epoch ms or ISO 8601'),
    to: queryTimeSchema.optional().describe('inclusive; epoch ms or ISO 8601'),
    key: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_READ_LIMIT).default(1000).describe(`default 1000, at most ${MAX_READ_LIMIT}`),
    latest: z.enum(['true', 'false']).optional().describe('true: the newest `limit` points in the range (still oldest first)'),
  })
  .strict();

export const pointView = z.object({
  t: z.number(),
  key: z.string(),
  value: z.number().optional(),
  values: z.record(z.number()).optional(),
  scored: z.boolean(),
  score: z.number().nullable(),
  anomaly: z.boolean().nullable(),
  threshold: z.number().nullable().describe('null while warming up'),
  channels: z.record(z.number()).nullable().describe('per-channel scores'),
  modelVersion: z.number().nullable(),
  error: z.string().optional().describe('why the scorer could not score the point'),
  label: z.enum(['anomaly', 'normal']).nullable().optional().describe("people's feedback on the point (newest wins), null: none"),
});

export const pointsList = z.object({ points: z.array(pointView), limit: z.number() });
