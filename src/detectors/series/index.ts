import type { AnySeriesDetectorDefinition } from './series-detector.js';
import { lstm } from './lstm.js';
import { lstmAutoencoder } from './lstm-autoencoder.js';
import { tcn } from './tcn.js';
import { windowAutoencoder } from './window-autoencoder.js';
import { windowVae } from './window-vae.js';

export type * from './series-detector.js';
export { defineSeriesDetector } from './define.js';
export { slidingWindows } from './windows.js';
export { lstm, lstmAutoencoder, tcn, windowAutoencoder, windowVae };

/** Series detectors, in the order `vigil detectors` lists them (each implementation adds itself here). */
export const seriesDetectors: AnySeriesDetectorDefinition[] = [lstm, lstmAutoencoder, tcn, windowAutoencoder, windowVae];
