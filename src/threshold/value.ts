import type { Threshold, ThresholdSpec } from './threshold.js';

type Spec = Extract<ThresholdSpec, { kind: 'value' }>;

/** A cutoff the user chose on the detector's score scale. */
export const valueThreshold: Threshold<Spec> = {
  kind: 'value',
  fit: (spec) => spec.value,
};
