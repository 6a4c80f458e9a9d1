import { z } from 'zod';

export const modelView = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  kind: z.enum(['tabular', 'series']),
  detector: z.string(),
  options: z.record(z.unknown()),
  threshold: z.record(z.unknown()).nullable(),
  cutoff: z.number().nullable(),
  columns: z.array(z.string()),
  metrics: z.record(z.unknown()).describe('trainingRows, fitSeconds, scoreQuantiles, flagged; rocAuc and prAuc with a label column'),
  source: z.record(z.unknown()).describe('the training data: a dataset id, or a stream and a time range'),
  bytes: z.number(),
  label: z.string().nullable(),
  createdAt: z.number(),
});
export const modelList = z.object({ models: z.array(modelView) });

export const curvesView = z.object({
  model: z.string(),
  labelled: z.boolean().describe('the job had a label column with both classes: ROC and PR curves exist'),
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }).nullable().describe('false against true positive rate, (0,0) to (1,1), at most 200 points'),
  pr: z.object({ recall: z.array(z.number()), precision: z.array(z.number()) }).nullable().describe('precision against recall, recall rising'),
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number()) }).nullable().describe('the training scores in equal bins (edges: one more than counts)'),
});

/** Most rows one batch-scoring request takes. */
export const MAX_SCORE_ROWS = 10_000;

export const scoreBody = z
  .object({
    rows: z.array(z.record(z.union([z.number(), z.string(), z.null()]))).min(1).max(MAX_SCORE_ROWS),
    explain: z.boolean().default(true),
  })
  .strict()
  .describe('JSON rows by column name; or CSV (text/csv) with a header');

export const scoreResult = z.object({
  scores: z.array(z.number()),
  anomalies: z.array(z.boolean()),
  cutoff: z.number(),
  explanations: z.array(z.record(z.number())).nullable().describe("per row, each column's contribution (null where the detector does not explain)"),
});

export const promoteBody = z.object({ version: z.string().min(1).max(100).describe('a model version id (mv_...)') }).strict();

export const candidateView = z.object({
  id: z.string(),
  jobId: z.string(),
  candidateModelId: z.string(),
  servedModelVersion: z.number(),
  comparison: z.record(z.unknown()).describe('compareShadow: per model alerts per day, precision and recall on labelled points; the disagreements'),
  decision: z.record(z.unknown()).nullable().describe("the stream's autoPromote rule, judged (null without one)"),
  status: z.enum(['pending', 'promoted', 'rejected']),
  createdAt: z.number(),
});

export const policyView = z.object({
  retrain: z.record(z.unknown()).nullable(),
  retentionDays: z.number().nullable(),
  lastRetrainAt: z.number().nullable(),
});

export type ScoreBody = z.infer<typeof scoreBody>;
