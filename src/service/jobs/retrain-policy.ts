/** A stream's retraining settings, as PATCH /v1/streams/{id} takes them (`retrain`), and what POST .../retrain takes. */
import { z } from 'zod';
import { promoteRuleSchema } from '../../evaluate/shadow.js';
import { DRIFT_DETECTORS } from '../../stream/drift/registry.js';
import { thresholdSpecSchema } from '../../threshold/index.js';

/** Most recent points a retrain reads (three quarters to train on, the newest quarter for the shadow comparison). */
export const MAX_RETRAIN_POINTS = 100_000;
export const DEFAULT_RETRAIN_POINTS = 5000;

const what = {
  detector: z.string().min(1).max(100).optional().describe('what to fit (default: the detector of the model serving the stream)'),
  options: z.record(z.unknown()).optional(),
  threshold: thresholdSpecSchema.optional(),
  points: z.number().int().min(8).max(MAX_RETRAIN_POINTS).optional().describe(`recent points read (default ${DEFAULT_RETRAIN_POINTS})`),
};

export const retrainPolicySchema = z
  .object({
    everyPoints: z.number().int().positive().optional().describe('retrain after this many new points'),
    everyHours: z.number().positive().optional().describe('retrain this often'),
    onDrift: z.boolean().optional().describe("retrain when a drift watch on the served scores fires"),
    driftWatch: z
      .object({ kind: z.enum(DRIFT_DETECTORS), options: z.record(z.unknown()).default({}) })
      .strict()
      .optional()
      .describe("onDrift's watch (default page-hinkley with its defaults; its lambda is on the score's scale)"),
    autoPromote: promoteRuleSchema.optional().describe('promote a candidate whose shadow comparison meets this rule (else promotion is manual)'),
    ...what,
  })
  .strict();

export const retrainRequestSchema = z.object(what).strict();

export type RetrainPolicyInput = z.infer<typeof retrainPolicySchema>;
export type RetrainRequest = z.infer<typeof retrainRequestSchema>;
