import { autoThreshold } from './auto.js';
import { contaminationThreshold } from './contamination.js';
import { potThresholdKind } from './pot.js';
import { valueThreshold } from './value.js';
import { exceedanceThreshold } from './calibration.js';
import { budgetThreshold, costThreshold } from './cost.js';
import type { Threshold, ThresholdContext, ThresholdSpec } from './threshold.js';

export * from './threshold.js';
export { AUTO_FENCE_IQR, AUTO_MAX_RATE, autoCutoff, type AutoCutoff, type AutoRule } from './auto.js';
export { POT_DEFAULT_LEVEL, POT_DEFAULT_Q, potThreshold, specForCount, type PotOptions, type PotResult } from './pot.js';
export { AnomalyLikelihood, type AnomalyLikelihoodOptions, type AnomalyLikelihoodState } from './anomaly-likelihood.js';
export { Spot, type SpotOptions, type SpotState, type SpotStep } from './spot.js';
export { dynamicThreshold, type DynamicThresholdOptions, type DynamicThresholdResult } from './dynamic.js';
export { fitGpd, potQuantile, type GpdFit } from './gpd.js';
export {
  CALIBRATION_KNOTS,
  CALIBRATION_MIN_SCORES,
  calibrationStateSchema,
  exceedanceOf,
  exceedances,
  fitCalibration,
  ksUniform,
  parseCalibration,
  scoreAtExceedance,
  type CalibrationOptions,
  type CalibrationState,
} from './calibration.js';
export { budgetCutoff, costCutoff, cutStats, spanDays, type Costs, type CutStats } from './cost.js';

const kinds: { [K in ThresholdSpec['kind']]: Threshold<Extract<ThresholdSpec, { kind: K }>> } = {
  contamination: contaminationThreshold,
  value: valueThreshold,
  auto: autoThreshold,
  pot: potThresholdKind,
  exceedance: exceedanceThreshold,
  cost: costThreshold,
  budget: budgetThreshold,
};

/** Fits the threshold a spec describes to training scores and returns the cutoff. */
export function fitThreshold(spec: ThresholdSpec, trainScores: Float64Array, ctx: ThresholdContext = {}): number {
  const impl = kinds[spec.kind] as Threshold<ThresholdSpec>;
  return impl.fit(spec, trainScores, ctx);
}
export { pruneSequences } from './prune.js';
