import { quantile } from '../core/stats.js';
import type { Threshold, ThresholdSpec } from './threshold.js';

type Spec = Extract<ThresholdSpec, { kind: 'contamination' }>;

/** The (1 - rate) quantile of the training scores: about `rate` of the training rows are flagged. */
export const contaminationThreshold: Threshold<Spec> = {
  kind: 'contamination',
  fit: (spec, scores) => quantile(scores, 1 - spec.rate),
};
