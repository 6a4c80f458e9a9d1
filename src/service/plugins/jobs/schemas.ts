import { z } from 'zod';
import { thresholdSpecSchema } from '../../../threshold/index.js';
import { timeSchema } from '../common/schemas.js';
import { entityFeaturesSchema } from '../../../preprocess/entity/index.js';

export const createJobBody = z
  .object({
    dataset: z.string().min(1).max(100).optional().describe('a dataset id'),
    stream: z.string().min(1).max(100).optional().describe("a stream id: train on its stored points (with from/to)"),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    detector: z.string().min(1).max(100),
    options: z.record(z.unknown()).default({}),
    threshold: thresholdSpecSchema.optional().describe('tabular default: contamination 0.1; series default: the detector\'s own'),
    label: z.string().min(1).max(200).optional().describe('a 0/1 column of the dataset kept out of the features; gives ROC/PR-AUC'),
    timestamp: z.string().min(1).max(200).optional().describe('series detectors: the timestamp column'),
    seriesId: z.string().min(1).max(200).optional().describe('series detectors: a column keying many series'),
    entity: entityFeaturesSchema.optional().describe('tabular detectors on a dataset: per-entity features (keys, time, windows; docs/features.md); a stream scored by the model gets them'),
  })
  .strict()
  .refine((b) => (b.dataset === undefined) !== (b.stream === undefined), { message: 'give dataset or stream (one of them)', path: ['dataset'] });

export const jobView = z.object({
  id: z.string(),
  kind: z.enum(['train', 'retrain']),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  detector: z.string(),
  source: z.record(z.unknown()),
  epoch: z.number().nullable(),
  epochs: z.number().nullable(),
  loss: z.number().nullable(),
  percent: z.number(),
  error: z.string().nullable(),
  modelId: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export const jobList = z.object({ jobs: z.array(jobView) });
export const jobLogs = z.object({ logs: z.array(z.object({ t: z.number(), message: z.string() })) });

export type CreateJobBody = z.infer<typeof createJobBody>;
export type JobView = z.infer<typeof jobView>;
