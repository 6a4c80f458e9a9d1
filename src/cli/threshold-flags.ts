import type { ThresholdSpec } from '../threshold/index.js';
import { UsageError } from './usage-error.js';

/** `--contamination 0.05|auto` and `--threshold 3.2` to a threshold spec; they exclude each other. */
export function thresholdFromFlags(contamination: string | undefined, value: string | undefined): ThresholdSpec {
  if (contamination !== undefined && value !== undefined) {
    throw new UsageError('give --contamination or --threshold, not both');
  }
  if (value !== undefined) {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--threshold must be a number, got '${value}'`);
    return { kind: 'value', value: v };
  }
  if (contamination === undefined) return { kind: 'contamination', rate: 0.1 };
  if (contamination === 'auto') return { kind: 'auto' };
  const r = Number(contamination);
  if (contamination.trim() === '' || !(r > 0 && r < 0.5)) {
    throw new UsageError(`--contamination must be 'auto' or a number between 0 and 0.5, got '${contamination}'`);
  }
  return { kind: 'contamination', rate: r };
}
