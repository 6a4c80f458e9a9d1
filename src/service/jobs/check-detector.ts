import { createDetector, getDetector } from '../../detectors/registry.js';
import { createSeriesDetector, findSeriesDetector } from '../../detectors/series/registry.js';

/** A bad detector or option is one 400 when the job is asked for, not a failed job later; true for a series detector. */
export function checkDetector(detector: string, options: Record<string, unknown>): boolean {
  const series = findSeriesDetector(detector) !== undefined;
  if (series) createSeriesDetector(detector, options);
  else createDetector(detector, options);
  return series;
}

/** A tabular detector that cannot learn without labels (semi-supervised or supervised). */
export const learnsFromLabels = (detector: string): boolean => !getDetector(detector).modes.includes('unsupervised');
