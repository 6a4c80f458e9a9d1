import type { AnyDetectorDefinition } from '../detector.js';
import { autoencoder } from './autoencoder.js';
import { vae } from './vae.js';
import { deepSvdd } from './deep-svdd.js';

export { autoencoder, vae, deepSvdd };

/** Deep detectors (TF.js engine, loaded on first fit or score), in the order `vigil --help` lists them. */
export const deepDetectors: AnyDetectorDefinition[] = [autoencoder, vae, deepSvdd];
