/**
 * NAB's normalised score (numenta/NAB nab/runner.py, normalize): 100 (raw - null) / (perfect -
 * null), where null is the raw score of the detector that flags nothing (every window a false
 * negative: -fnWeight per window) and perfect is tpWeight per window (each detected at its first
 * row, no false positives). So the null detector scores 0 and the perfect one 100; a detector
 * with many false positives goes below 0.
 */
import type { CostMatrix } from './profiles.js';

export function nullScore(windows: number, cost: CostMatrix): number {
  return -cost.fnWeight * windows;
}

export function perfectScore(windows: number, cost: CostMatrix): number {
  return cost.tpWeight * windows;
}

export function normalizeScore(raw: number, nullRaw: number, perfectRaw: number): number {
  return (100 * (raw - nullRaw)) / (perfectRaw - nullRaw);
}
