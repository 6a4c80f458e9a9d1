import type { AnySeriesDetectorDefinition } from './series-detector.js';
import { seriesEwma, seriesRollingMad, seriesRollingZ } from './baselines/rolling.js';
import { seasonal } from './baselines/seasonal.js';
import { seriesDiscord } from './baselines/discord.js';
import { seriesHtm } from './baselines/htm.js';
import { seriesArtime } from './baselines/artime.js';
import { lstm } from './lstm.js';
import { lstmAutoencoder } from './lstm-autoencoder.js';
import { tcn } from './tcn.js';
import { windowAutoencoder } from './window-autoencoder.js';
import { windowVae } from './window-vae.js';
import { seriesAutoDetector } from './auto.js';

export type * from './series-detector.js';
export { defineSeriesDetector } from './define.js';
export { slidingWindows } from './windows.js';
export { seriesEwma, seriesRollingMad, seriesRollingZ, seasonal, seriesDiscord, seriesHtm, seriesArtime };
export { lstm, lstmAutoencoder, tcn, windowAutoencoder, windowVae };

/** `seriesAuto()`: the robust-z mean of other series detectors, so it looks them up in the list below. */
export const seriesAuto = seriesAutoDetector({ get: (name) => seriesDetectors.find((d) => d.name === name) });
export { detectPeriod } from './baselines/period.js';

/** Series detectors, in the order `vigil detectors` lists them (each implementation adds itself here). */
export const seriesDetectors: AnySeriesDetectorDefinition[] = [
  seriesRollingZ,
  seriesRollingMad,
  seriesEwma,
  seasonal,
  seriesDiscord,
  seriesHtm,
  seriesArtime,
  lstm,
  lstmAutoencoder,
  tcn,
  windowAutoencoder,
  windowVae,
  seriesAuto,
];
