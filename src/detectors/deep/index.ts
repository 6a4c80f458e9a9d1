import type { AnyDetectorDefinition } from '../detector.js';
import { autoencoder } from './autoencoder.js';
import { vae } from './vae.js';
import { deepSvdd } from './deep-svdd.js';
import { convAutoencoder } from './conv-autoencoder.js';
import { devnet } from './devnet.js';
import { classifier } from './classifier.js';
import { gan } from './gan.js';
import { rotnet } from './rotnet.js';

export { autoencoder, vae, deepSvdd, convAutoencoder, gan, rotnet, devnet, classifier };

/** Deep detectors (TF.js engine, loaded on first fit or score), in the order `vigil --help` lists them. */
export const deepDetectors: AnyDetectorDefinition[] = [autoencoder, vae, deepSvdd, convAutoencoder, gan, rotnet, devnet, classifier];
