import { z } from 'zod';
import { SINK_FORMATS } from '../../../alerting/index.js';

const secret = z.string().min(16).max(256).describe('the HMAC-SHA256 key of the X-Vigil-Signature header; generated when not given');

export const createSinkBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    url: z.string().min(1).max(2000).describe('http(s); loopback and private addresses only with --allow-private-sinks'),
    secret: secret.optional(),
    format: z.enum(SINK_FORMATS).default('json').describe('json: the alert payload; slack: a Slack incoming-webhook body'),
  })
  .strict();
export const patchSinkBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), url: z.string().min(1).max(2000).optional(), secret: secret.optional(), format: z.enum(SINK_FORMATS).optional() })
  .strict();

export const sinkView = z.object({ id: z.string(), name: z.string(), url: z.string(), format: z.enum(SINK_FORMATS), createdAt: z.number(), updatedAt: z.number() });
export const sinkCreated = sinkView.extend({ secret: z.string().describe('shown here only; the receiver verifies signatures with it') });
export const sinkList = z.object({ sinks: z.array(sinkView) });

export const testResult = z.object({
  delivered: z.boolean(),
  status: z.number().nullable().describe("the receiver's HTTP status (null: no answer)"),
  error: z.string().nullable(),
  idempotencyKey: z.string(),
});

export const deliveryView = z.object({
  id: z.number(),
  sinkId: z.string(),
  streamId: z.string(),
  incidentId: z.string(),
  event: z.string(),
  idempotencyKey: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number(),
  nextAttemptAt: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.number().nullable(),
  createdAt: z.number(),
});
export const deliveryList = z.object({ deliveries: z.array(deliveryView) });
export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1000) }).strict();

export type CreateSinkBody = z.infer<typeof createSinkBody>;
export type PatchSinkBody = z.infer<typeof patchSinkBody>;
