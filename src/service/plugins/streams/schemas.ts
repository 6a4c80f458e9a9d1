import { z } from 'zod';
import { scorerSpecSchema } from '../../../stream/scorer/index.js';
import { retrainPolicySchema } from '../../jobs/retrain-policy.js';

/** A stream is a name and the core's scorer spec (detector, options, threshold, warmup, drift, ...), validated by the same schema. */
// `model` is set by promotion only (a model version of the team's), never by a stream body.
export const createStreamBody = scorerSpecSchema.omit({ model: true }).extend({
  name: z.string().trim().min(1).max(200),
  // Kept beside the spec (they do not change what scores the stream): retraining and retention.
  retrain: retrainPolicySchema.nullable().optional(),
  retentionDays: z.number().positive().max(36_500).nullable().optional().describe('points older than this are deleted in the background'),
});
export const patchStreamBody = createStreamBody.partial();

export const streamView = scorerSpecSchema.omit({ channels: true }).extend({
  id: z.string(),
  teamId: z.string(),
  name: z.string(),
  modelVersion: z.number().int().describe('one more on every change of what scores the stream'),
  model: z.string().optional().describe('the model version scoring the stream, once one is promoted'),
  channels: z.array(z.string()).nullable().describe("channel names, fixed by the spec or the stream's first point"),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const streamList = z.object({ streams: z.array(streamView) });

export type CreateStreamBody = z.infer<typeof createStreamBody>;
export type PatchStreamBody = z.infer<typeof patchStreamBody>;
export type StreamView = z.infer<typeof streamView>;
