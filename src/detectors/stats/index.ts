import type { AnyDetectorDefinition } from '../detector.js';
import { zscore } from './zscore.js';
import { robustZ } from './robust-z.js';
import { gesd, generalizedEsd } from './gesd.js';
import { grubbs, iteratedGrubbs } from './grubbs.js';
import { mahalanobis } from './mahalanobis.js';
import { kmeans } from './kmeans.js';
import { hbos } from './hbos.js';

export { zscore, robustZ, gesd, generalizedEsd, grubbs, iteratedGrubbs, mahalanobis, kmeans, hbos };

/** Statistical baselines, in the order `vigil --help` lists them. */
export const statsDetectors: AnyDetectorDefinition[] = [zscore, robustZ, gesd, grubbs, mahalanobis, kmeans, hbos];
