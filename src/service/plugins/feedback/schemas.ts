import { z } from 'zod';
import { timeSchema } from '../common/schemas.js';

const label = z.enum(['anomaly', 'normal']);
const note = z.string().max(2000).optional();

export const streamFeedbackBody = z
  .object({
    t: timeSchema.optional().describe('one point in time; or give from and to'),
    from: timeSchema.optional().describe('inclusive'),
    to: timeSchema.optional().describe('inclusive'),
    key: z.string().max(200).optional().describe('the series; absent: every series of the stream'),
    label,
    note,
  })
  .strict();
export const incidentFeedbackBody = z.object({ label, note }).strict();

export const recalibrateBody = z
  .object({
    normalWeight: z.number().finite().positive().optional().describe('the cost of flagging a confirmed normal (default 1)'),
    anomalyWeight: z.number().finite().positive().optional().describe('the cost of missing a confirmed anomaly (default 1)'),
  })
  .strict();

export const recalibration = z.object({
  threshold: z.number(),
  previous: z.number(),
  changed: z.boolean(),
  separable: z.boolean().describe('one threshold satisfies every label'),
  normals: z.object({ total: z.number(), below: z.number() }),
  anomalies: z.object({ total: z.number(), above: z.number() }),
  cost: z.number(),
  labelled: z.number().describe('labelled points with stored scores it used'),
  modelVersion: z.number().describe("the stream's model version after it (one more when the threshold changed)"),
});

export const feedbackView = z.object({
  id: z.string(),
  streamId: z.string(),
  incidentId: z.string().nullable(),
  key: z.string().nullable(),
  from: z.number(),
  to: z.number(),
  label,
  note: z.string().nullable(),
  createdAt: z.number(),
});
export const feedbackCreated = feedbackView.extend({ recalibration: recalibration.nullable().describe("when the stream's rule recalibrates on feedback") });
export const feedbackList = z.object({ feedback: z.array(feedbackView) });
export const feedbackQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1000) }).strict();

export type StreamFeedbackBody = z.infer<typeof streamFeedbackBody>;
export type RecalibrateBody = z.infer<typeof recalibrateBody>;
export type Recalibration = z.infer<typeof recalibration>;
