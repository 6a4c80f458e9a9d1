import { z } from 'zod';
import { SEVERITIES } from '../../../alerting/index.js';
import { deliveryView } from '../sinks/schemas.js';

/** Incident ids name their stream, series and opening time; up to 1000 characters (series keys can be long). */
export const incidentParams = z.object({ id: z.string().min(1).max(1000) });

export const incidentsQuery = z
  .object({
    state: z.enum(['open', 'resolved']).optional(),
    stream: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100).describe('default 100, at most 10000'),
  })
  .strict();

export const incidentView = z.object({
  id: z.string(),
  streamId: z.string(),
  key: z.string(),
  status: z.enum(['open', 'resolved']),
  severity: z.enum(SEVERITIES).nullable().describe('the severity last alerted; null: not alerted'),
  openedAt: z.number(),
  lastAt: z.number(),
  resolvedAt: z.number().nullable(),
  ackedAt: z.number().nullable(),
  count: z.number().describe('anomalous points in it'),
  peakScore: z.number().nullable(),
  peakAt: z.number(),
  peakThreshold: z.number().nullable(),
});
export const incidentList = z.object({ incidents: z.array(incidentView) });
export const incidentDetail = incidentView.extend({ deliveries: z.array(deliveryView) });
