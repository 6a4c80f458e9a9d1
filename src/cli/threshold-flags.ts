import type { ThresholdSpec } from '../threshold/index.js';
import { UsageError } from './usage-error.js';
import { numberFlag } from './number-flags.js';

export interface ThresholdFlags {
  contamination?: string;
  threshold?: string;
  risk?: string;
}

/**
 * `--contamination 0.05|auto`, `--threshold 3.2` or `--risk 1e-4` (peaks-over-threshold) to a
 * threshold spec; at most one of them.
 */
export function thresholdFromFlags(f: ThresholdFlags): ThresholdSpec {
  const given = (['contamination', 'threshold', 'risk'] as const).filter((k) => f[k] !== undefined);
  if (given.length > 1) throw new UsageError(`give only one of ${given.map((k) => `--${k}`).join(', ')}`);
  if (f.threshold !== undefined) {
    return { kind: 'value', value: numberFlag(f.threshold, '--threshold') };
  }
  if (f.risk !== undefined) {
    const q = Number(f.risk);
    if (f.risk.trim() === '' || !(q > 0 && q < 1)) throw new UsageError(`--risk must be a probability between 0 and 1, got '${f.risk}'`);
    return { kind: 'pot', q, level: 0.98 };
  }
  const c = f.contamination;
  if (c === undefined) return { kind: 'contamination', rate: 0.1 };
  if (c === 'auto') return { kind: 'auto' };
  const r = Number(c);
  if (c.trim() === '' || !(r > 0 && r < 0.5)) {
    throw new UsageError(`--contamination must be 'auto' or a number between 0 and 0.5, got '${c}'`);
  }
  return { kind: 'contamination', rate: r };
}

/** How a fitted threshold was chosen, for messages. */
export function describeThreshold(t: ThresholdSpec): string {
  switch (t.kind) {
    case 'contamination':
      return `contamination ${t.rate}`;
    case 'value':
      return 'explicit';
    case 'auto':
      return 'auto';
    case 'pot':
      return `peaks-over-threshold, risk ${t.q}`;
    case 'exceedance':
      return `calibrated p-value below ${t.p}`;
    case 'cost':
      return `least cost, ${t.fn} per missed anomaly and ${t.fp} per false alarm`;
    case 'budget':
      return `alert budget ${t.perDay}/day`;
  }
}
