/**
 * Carrying a scorer's state over to a new spec that changes only its threshold to a fixed value
 * (a recalibration from feedback, or a PATCH of the threshold): every key's detector keeps what it
 * learned and only judges by the new value from then on, instead of starting its warm-up again.
 * Any other change (detector, options, warm-up, drift watch, ...) is a fresh start: the learned
 * state belongs to the old set-up.
 */
import { parseScorerSpec } from './spec.js';
import type { ScorerState } from './types.js';

const withoutThreshold = ({ threshold: _t, ...rest }: ScorerState['spec']): unknown => rest;

/** The state, judged by `spec`'s fixed threshold from now on; null when `spec` changes more than that (or a model scores). */
export function carryToSpec(state: ScorerState, spec: unknown): ScorerState | null {
  if (state.model !== null) return null;
  let next;
  try {
    next = parseScorerSpec(spec);
  } catch {
    return null;
  }
  const th = next.threshold;
  if (th.kind !== 'value') return null;
  if (JSON.stringify(withoutThreshold(next)) !== JSON.stringify(withoutThreshold(parseScorerSpec(state.spec)))) return null;
  const fixed = { kind: 'fixed' as const, value: th.value };
  const series = state.series.map((s) => ({ ...s, lane: refixed(s.lane, fixed) }));
  if (series.some((s) => s.lane === null)) return null;
  return { ...state, spec: next, series: series as ScorerState['series'] };
}

type Fixed = { kind: 'fixed'; value: number };

/** One key's lane state with its threshold replaced; null for a lane this does not know. */
function refixed(lane: unknown, fixed: Fixed): unknown {
  const l = lane as Record<string, unknown> | null;
  if (!l || typeof l !== 'object') return null;
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
