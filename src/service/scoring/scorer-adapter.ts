/** The one place the service meets the core's stream scoring API (src/stream/scorer, STREAM-API.md). */
import { OptionsError } from '../../core/errors.js';
import { carryToSpec, createStreamScorer, restoreStreamScorer, type FittedModelLike, type ScorerState, type StreamScorer } from '../../stream/scorer/index.js';

export type { ScoredPoint, ScorerPoint } from '../../stream/scorer/index.js';
export type ServiceScorer = StreamScorer;

/** Fitted models by model version id: a stream spec with `model` is scored by that model through the core scorer's model path. */
export interface ModelResolver {
  resolve(id: string): FittedModelLike;
}

/** The core spec (which keeps the model's id as its name) and the model it names, if any. */
function split(spec: unknown, models: ModelResolver | undefined): { core: unknown; model?: FittedModelLike } {
  if (!spec || typeof spec !== 'object' || !('model' in spec)) return { core: spec };
  const { model } = spec as Record<string, unknown>;
  if (typeof model !== 'string') throw new OptionsError('model: expected a model version id');
  if (!models) throw new OptionsError('this scorer has no model library to load a model from');
  return { core: spec, model: models.resolve(model) };
}

/** A scorer for a stored spec; a bad detector or option throws an OptionsError here, once. */
export const createScorer = (spec: unknown, models?: ModelResolver): ServiceScorer => {
  const { core, model } = split(spec, models);
  return createStreamScorer(core, model);
};

/** The scorer a checkpoint was taken from (with the model the stream's spec names, if any). */
export const restoreScorer = (state: unknown, spec?: unknown, models?: ModelResolver): ServiceScorer =>
  restoreStreamScorer(state as ScorerState, spec === undefined ? undefined : split(spec, models).model);

/**
 * The scorer for a changed spec: when the change is only a fixed threshold (a recalibration), the
 * old scorer's state goes on under it (no new warm-up); otherwise a fresh scorer. Settles `old` first.
 */
export async function rescorer(old: ServiceScorer, spec: unknown, models?: ModelResolver): Promise<{ scorer: ServiceScorer; carried: boolean }> {
  const { core, model } = split(spec, models);
  await old.settle();
  // Carried only to a spec naming the same model (its id is part of the spec the state holds).
  const carried = carryToSpec(old.toJSON(), core);
  if (carried) return { scorer: restoreStreamScorer(carried, model), carried: true };
  return { scorer: createStreamScorer(core, model), carried: false };
}

/** True when a checkpoint taken under the spec before `spec` can go on under it (the change was only a fixed threshold, the model the same). */
export const carries = (state: unknown, spec: unknown): boolean => carryToSpec(state as ScorerState, spec) !== null;
