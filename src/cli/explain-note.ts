import { listDetectors } from '../detectors/registry.js';
import type { Model } from '../model/model.js';

/**
 * What `score --explain` says once on stderr when the model's detector cannot explain its scores
 * (it then writes no contribution columns), or undefined when it can.
 */
export function explainNote(model: Model): string | undefined {
  if (model.canExplain) return undefined;
  const can = listDetectors().filter((d) => d.explains).map((d) => d.name);
  return `vigil: note: ${model.detector.name} cannot explain its scores, so --explain adds no contribution columns (detectors that can: ${can.join(', ')}; see vigil detectors)\n`;
}
