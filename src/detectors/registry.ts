import { OptionsError } from '../core/errors.js';
import type { Detector, AnyDetectorDefinition, DetectorState } from './detector.js';
import { statsDetectors } from './stats/index.js';
import { classicalDetectors } from './classical/index.js';
import { deepDetectors } from './deep/index.js';
import { autoDetector } from './auto/auto.js';

const single: AnyDetectorDefinition[] = [...statsDetectors, ...classicalDetectors, ...deepDetectors];
/** `auto({ seed })`: chooses among the others (and combines them), so it looks them up here. */
export const auto = autoDetector({ get: getDetector });
const all: AnyDetectorDefinition[] = [...single, auto];
const byName = new Map<string, AnyDetectorDefinition>(all.map((d) => [d.name, d]));

export function detectorNames(): string[] {
  return all.map((d) => d.name);
}

export function listDetectors(): readonly AnyDetectorDefinition[] {
  return all;
}

export function getDetector(name: string): AnyDetectorDefinition {
  const def = byName.get(name);
  if (!def) throw new OptionsError(`unknown detector '${name}' (available: ${detectorNames().join(', ')})`);
  return def;
}

/** Validates raw options against the detector's schema and returns a fresh detector. */
export function createDetector(name: string, options: Record<string, unknown> = {}): Detector {
  return getDetector(name)(options);
}

/** Rebuilds a fitted detector from its saved name, options and state. */
export function restoreDetector(name: string, options: Record<string, unknown>, state: DetectorState): Detector {
  const d = createDetector(name, options);
  d.setState(state);
  return d;
}
