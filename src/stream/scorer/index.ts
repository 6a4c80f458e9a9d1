/** The one scoring path of streams: a spec (or a fitted model) in, one verdict per point out. */
export { createStreamScorer, restoreStreamScorer } from './scorer.js';
export { carryToSpec, sameScoresApartFromThreshold } from './carry.js';
export { parseScorerSpec, scorerSpecSchema, thresholdChoiceSchema, type ScorerSpec, type ScorerSpecInput, type ThresholdChoice } from './spec.js';
export { SPOT_MIN_WARMUP } from './plan.js';
export type { FittedModelLike, ScoredPoint, ScorerEvent, ScorerPoint, ScorerState, StreamScorer } from './types.js';
