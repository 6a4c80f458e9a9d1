import { z } from 'zod';

export const thresholdSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('value'), value: z.number().finite() }).strict(),
    z.object({ kind: z.literal('risk'), q: z.number().positive().lt(1) }).strict(),
    z.object({ kind: z.literal('default') }).strict(),
  ])
  .describe("a fixed value on the score scale, an EVT (SPOT) risk per point, or the detector's own default");

const specFields = {
  detector: z.string().min(1).max(100).describe('a stream detector: rolling-z, rolling-mad, ewma, discord, htm, artime'),
  options: z.record(z.unknown()).optional().describe("the detector's own options"),
  threshold: thresholdSchema.optional(),
  warmup: z.number().int().nonnegative().optional().describe('points per series before any judgement'),
  maxSeries: z.number().int().positive().max(100_000).optional().describe('most keyed series (default 1000)'),
};

export const createStreamBody = z.object({ name: z.string().trim().min(1).max(200), ...specFields }).strict();
export const patchStreamBody = createStreamBody.partial().strict();

export const streamView = z.object({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  detector: z.string(),
  options: z.record(z.unknown()),
  threshold: thresholdSchema,
  warmup: z.number().optional(),
  maxSeries: z.number().optional(),
  modelVersion: z.number().int().describe('one more on every change of detector, options or threshold'),
  channels: z.array(z.string()).nullable().describe("fixed by the stream's first point"),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const streamList = z.object({ streams: z.array(streamView) });

export type CreateStreamBody = z.infer<typeof createStreamBody>;
export type PatchStreamBody = z.infer<typeof patchStreamBody>;
export type StreamView = z.infer<typeof streamView>;
