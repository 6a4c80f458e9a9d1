/** NAB scoring (Lavin & Ahmad 2015), reproduced from numenta/NAB's published rules; no file I/O. */
export { NAB_PROFILES, NAB_PROFILE_NAMES, parseProfiles, selectProfiles, type CostMatrix, type NabProfiles } from './profiles.js';
export { scaledSigmoid, MAX_TP } from './scaled-sigmoid.js';
export { NAB_PROBATION_PERCENT, probationLength } from './probation.js';
export { prepareFile, type NabFile, type PreparedFile, type WindowRows } from './windows.js';
export { scoreFile, type FileScore } from './file-score.js';
export { bestThreshold, noDetectionThreshold, sweepThresholds, type ThresholdScore } from './sweep.js';
export { normalizeScore, nullScore, perfectScore } from './normalize.js';
export { scoreNab, type NabFileResult, type NabProfileResult, type NabResult, type NabScoreOptions } from './corpus.js';
export { nabRowMetrics } from './row-metrics.js';
export type { RowMetrics, PRF } from '../pooled.js';
