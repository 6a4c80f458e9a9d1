/** What a fit measured on its own training rows, saved in the model file for `vigil inspect`. */
import { z } from 'zod';
import { finiteSorted, quantileSorted } from '../core/stats.js';
import type { AutoRule } from '../threshold/index.js';

/** The training-score quantiles kept, as [name, q]. */
export const SCORE_QUANTILES = [
  ['min', 0],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['p99', 0.99],
  ['max', 1],
] as const;

const finite = z.number().finite();
export const trainingSummarySchema = z
  .object({
    rows: z.number().int().min(0),
    features: z.number().int().min(0),
    /** Preprocessing, detector fit, training scores and threshold, in seconds. */
    fitSeconds: z.number().min(0),
    scores: z.object(Object.fromEntries(SCORE_QUANTILES.map(([k]) => [k, finite])) as Record<(typeof SCORE_QUANTILES)[number][0], typeof finite>).strict(),
    /** Training rows scoring above the cutoff, and their share. */
    flagged: z.number().int().min(0),
    rate: z.number().min(0).max(1),
    /** For an `auto` threshold: whether the detector's own cutoff, the fence or the 5% cap set it. */
    autoRule: z.enum(['detector', 'fence', 'cap']).optional(),
  })
  .strict();
export type TrainingSummary = z.infer<typeof trainingSummarySchema>;

export function summarizeTraining(
  scores: Float64Array,
  cutoff: number,
  shape: { rows: number; features: number; fitSeconds: number; autoRule?: AutoRule },
): TrainingSummary {
  // JSON holds no infinities: the quantiles are of the finite scores.
  const sorted = finiteSorted(scores.filter(Number.isFinite));
  const q = Object.fromEntries(SCORE_QUANTILES.map(([k, p]) => [k, sorted.length ? quantileSorted(sorted, p) : 0])) as TrainingSummary['scores'];
  let flagged = 0;
  for (const s of scores) if (s > cutoff) flagged++;
  const out: TrainingSummary = { ...shape, fitSeconds: Math.max(0, shape.fitSeconds), scores: q, flagged, rate: scores.length ? flagged / scores.length : 0 };
  if (shape.autoRule === undefined) delete out.autoRule;
  return out;
}
