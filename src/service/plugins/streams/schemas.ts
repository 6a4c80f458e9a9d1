import { z } from 'zod';
import { scorerSpecSchema } from '../../../stream/scorer/index.js';

/** A stream is a name and the core's scorer spec (detector, options, threshold, warmup, drift, ...), validated by the same schema. */
export const createStreamBody = scorerSpecSchema.extend({ name: z.string().trim().min(1).max(200) });
export const patchStreamBody = createStreamBody.partial();

export const streamView = scorerSpecSchema.omit({ channels: true }).extend({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  modelVersion: z.number().int().describe('one more on every change of what scores the stream'),
  channels: z.array(z.string()).nullable().describe("channel names, fixed by the spec or the stream's first point"),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const streamList = z.object({ streams: z.array(streamView) });

export type CreateStreamBody = z.infer<typeof createStreamBody>;
export type PatchStreamBody = z.infer<typeof patchStreamBody>;
export type StreamView = z.infer<typeof streamView>;
