import type { AnyDetectorDefinition } from '../detector.js';
import { iforest } from './iforest.js';
import { ecod } from './ecod.js';
import { knn } from './knn.js';
import { lof } from './lof.js';
import { pca } from './pca.js';

export { iforest, ecod, knn, lof, pca };

/** Classical unsupervised detectors, in the order `vigil --help` lists them. */
export const classicalDetectors: AnyDetectorDefinition[] = [iforest, ecod, knn, lof, pca];
