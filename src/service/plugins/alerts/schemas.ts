import { z } from 'zod';
import { SEVERITIES, alertRuleSchema, severitySpecSchema } from '../../../alerting/index.js';

const ruleExtras = {
  sinks: z.array(z.string().min(1).max(100)).max(20).default([]).describe("ids of the team's sinks the stream's alerts go to"),
  recalibrateOnFeedback: z.boolean().default(false).describe("recalibrate the stream's threshold after each feedback"),
};

export const createRuleBody = alertRuleSchema.extend(ruleExtras).strict();
export const patchRuleBody = createRuleBody.partial().strict();

export const ruleView = z.object({
  id: z.string(),
  streamId: z.string(),
  enabled: z.boolean(),
  forPoints: z.number().optional(),
  forSeconds: z.number().optional(),
  maxPerHour: z.number(),
  severity: severitySpecSchema,
  minSeverity: z.enum(SEVERITIES),
  quietSeconds: z.number(),
  sinks: z.array(z.string()),
  recalibrateOnFeedback: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const ruleList = z.object({ rules: z.array(ruleView) });

export type CreateRuleBody = z.infer<typeof createRuleBody>;
export type PatchRuleBody = z.infer<typeof patchRuleBody>;
export type RuleView = z.infer<typeof ruleView>;
