/**
 * Series detectors by name, as the tabular registry (../registry.ts) does for row-wise detectors.
 * The two name spaces are kept disjoint (registry.test.ts checks it), so `vigil fit --detector X`
 * can tell from the name alone which path X takes.
 */
import { OptionsError } from '../../core/errors.js';
import type { DetectorState } from '../detector.js';
import { seriesDetectors } from './index.js';
import type { AnySeriesDetectorDefinition, SeriesDetector } from './series-detector.js';

export function seriesDetectorNames(): string[] {
  return seriesDetectors.map((d) => d.name);
}

/** The series detector of this name, or undefined. */
export function findSeriesDetector(name: string): AnySeriesDetectorDefinition | undefined {
  return seriesDetectors.find((d) => d.name === name);
}

export function getSeriesDetector(name: string): AnySeriesDetectorDefinition {
  const def = findSeriesDetector(name);
  if (!def) throw new OptionsError(`unknown series detector '${name}' (available: ${seriesDetectorNames().join(', ')})`);
  return def;
}

/** Validates raw options against the detector's schema and returns a fresh, unfitted detector. */
export function createSeriesDetector(name: string, options: Record<string, unknown> = {}): SeriesDetector {
  return getSeriesDetector(name)(options);
}

/** Rebuilds a fitted series detector from its saved name, options and state. */
export function restoreSeriesDetector(name: string, options: Record<string, unknown>, state: DetectorState): SeriesDetector {
  const d = createSeriesDetector(name, options);
  d.setState(state);
  return d;
}
