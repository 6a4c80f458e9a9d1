/**
 * Carrying a scorer's state over to a new spec that changes only its threshold to a fixed value
 * (a recalibration from feedback, or a PATCH of the threshold): every key's detector or model
 * keeps what it learned and only judges by the new value from then on, instead of starting its
 * warm-up again. Any other change (detector, model, options, warm-up, drift watch, ...) is a fresh
 * start: the learned state belongs to the old set-up.
 */
import { parseScorerSpec } from './spec.js';
import type { ScorerState } from './types.js';

const withoutThreshold = ({ threshold: _t, ...rest }: ScorerState['spec']): string => JSON.stringify(rest);

/**
 * True when two specs differ at most in their threshold: the same detector or model with the same
 * set-up, so their scores are on one scale. False for a spec that does not parse.
 */
export function sameScoresApartFromThreshold(a: unknown, b: unknown): boolean {
  try {
    return withoutThreshold(parseScorerSpec(a)) === withoutThreshold(parseScorerSpec(b));
  } catch {
    return false;
  }
}

/** The state, judged by `spec`'s fixed threshold from now on; null when `spec` changes more than that. */
export function carryToSpec(state: ScorerState, spec: unknown): ScorerState | null {
  if (!sameScoresApartFromThreshold(state.spec, spec)) return null;
  const next = parseScorerSpec(spec);
  const th = next.threshold;
  if (th.kind !== 'value') return null;
  const fixed = { kind: 'fixed' as const, value: th.value };
  const series = state.series.map((s) => ({ ...s, lane: refixed(s.lane, fixed, state.model) }));
  if (series.some((s) => s.lane === null)) return null;
  return { ...state, spec: next, series: series as ScorerState['series'] };
}

type Fixed = { kind: 'fixed'; value: number };

/** One key's lane state with its threshold replaced; null for a lane this does not know. */
function refixed(lane: unknown, fixed: Fixed, model: ScorerState['model']): unknown {
  const l = lane as Record<string, unknown> | null;
  if (!l || typeof l !== 'object') return null;
  // A tabular model's lane holds no threshold (the spec's value replaces the model's cutoff): it goes on as it is.
  if (model === 'tabular') return 'drift' in l ? l : null;
  // A series model behind the refit machinery: the model scoring now judges by the value.
  if (model === 'series') return l['format'] === 'vigil-refit-stream' ? { ...l, threshold: fixed, calibrating: 0 } : null;
  // A stream detector's lane: {detector: vigil-stream state, drift}.
  const d = l['detector'] as Record<string, unknown> | undefined;
  if (d?.['format'] === 'vigil-stream') return { ...l, detector: { ...d, threshold: fixed } };
  // A series detector learning online: before its first fit the new spec's threshold applies by itself.
  if (l['format'] === 'vigil-learning-stream') {
    const fitted = l['stream'] as Record<string, unknown> | null;
    return fitted ? { ...l, stream: { ...fitted, threshold: fixed, calibrating: 0 } } : l;
  }
  return null;
}
