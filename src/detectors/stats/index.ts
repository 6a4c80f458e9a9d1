import type { AnyDetectorDefinition } from '../detector.js';
import { zscore } from './zscore.js';

export { zscore };

/** Statistical baselines, in the order `vigil --help` lists them. */
export const statsDetectors: AnyDetectorDefinition[] = [zscore];
