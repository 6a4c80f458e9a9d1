import { z } from 'zod';
import { queryTimeSchema } from '../common/schemas.js';

/** Most stored points one downsampled read reduces (the newest of them when a range holds more). */
export const MAX_SERIES_POINTS = 500_000;

export const seriesQuery = z
  .object({
    from: queryTimeSchema.optional().describe('inclusive; epoch ms or ISO 8601; default: the oldest point'),
    to: queryTimeSchema.optional().describe('inclusive; default: the newest point'),
    key: z.string().max(200).optional().describe('one series of a keyed stream; without it, every series together'),
    columns: z.coerce.number().int().min(1).max(4000).default(1000).describe('pixel columns to reduce the range to (default 1000)'),
  })
  .strict();

export const seriesRow = z.object({
  t: z.number(),
  values: z.record(z.number()),
  score: z.number().nullable().describe("the column's largest score; an anomaly row: its own"),
  threshold: z.number().nullable(),
  anomaly: z.boolean(),
  channels: z.record(z.number()).nullable().describe("per-channel scores: the column's largest of each channel; null when the detector gives none"),
});

export const seriesView = z.object({
  from: z.number().nullable(),
  to: z.number().nullable(),
  columns: z.number(),
  points: z.number().describe('stored points reduced'),
  truncated: z.boolean().describe(`true when the range held more than ${MAX_SERIES_POINTS} points (the newest were reduced)`),
  modelChanges: z.array(z.object({ t: z.number(), modelVersion: z.number() })).describe('the first point each new model version scored in the range'),
  rows: z.array(seriesRow).describe('min and max of every channel per column, in time order, and every anomalous point as a row of its own'),
});

export const seriesKeys = z.object({
  keys: z.array(z.object({ key: z.string(), points: z.number(), anomalies: z.number(), lastT: z.number() })),
});
