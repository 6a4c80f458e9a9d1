/** The one place the service meets the core's stream scoring API (src/stream/scorer, STREAM-API.md). */
import { createStreamScorer, restoreStreamScorer, type ScorerState, type StreamScorer } from '../../stream/scorer/index.js';

export type { ScoredPoint, ScorerPoint } from '../../stream/scorer/index.js';
export type ServiceScorer = StreamScorer;

/** A scorer for a stored spec; a bad detector or option throws an OptionsError here, once. */
export const createScorer = (spec: unknown): ServiceScorer => createStreamScorer(spec);

/** The scorer a checkpoint was taken from. */
export const restoreScorer = (state: unknown): ServiceScorer => restoreStreamScorer(state as ScorerState);
