import { z } from 'zod';

/** One detector `auto` weighed: its learning mode and, when labels were there, its cross-validated PR-AUC. */
export const autoCandidateSchema = z
  .object({
    name: z.string(),
    mode: z.enum(['unsupervised', 'semi-supervised', 'supervised']),
    /** Mean average precision over the held-out folds. */
    prAuc: z.number().optional(),
    /** Why it could not be scored (too few rows for it, say). */
    error: z.string().optional(),
  })
  .strict();

/**
 * What `detector: auto` chose for the data and why; saved in the model file with the detector's
 * state and shown by `vigil fit` and `vigil inspect` (`model.info.auto`).
 */
export const autoChoiceSchema = z
  .object({
    /** `ensemble`: no labels, the members' robust-z scores averaged; `cross-validation`: labels, the best PR-AUC. */
    method: z.enum(['ensemble', 'cross-validation']),
    /** `ensemble` or a detector's name. */
    chosen: z.string(),
    /** The detectors whose scores make the model's score. */
    members: z.array(z.string()),
    candidates: z.array(autoCandidateSchema),
    reason: z.string(),
  })
  .strict();
export type AutoChoice = z.infer<typeof autoChoiceSchema>;
export type AutoCandidate = z.infer<typeof autoCandidateSchema>;
