import type { AnyDetectorDefinition } from '../detector.js';

/** Classical unsupervised detectors, in the order `vigil --help` lists them. */
export const classicalDetectors: AnyDetectorDefinition[] = [];
