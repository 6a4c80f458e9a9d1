import type { AnySeriesDetectorDefinition } from './series-detector.js';
import { seriesEwma, seriesRollingMad, seriesRollingZ } from './baselines/rolling.js';
import { seasonal } from './baselines/seasonal.js';

export type * from './series-detector.js';
export { defineSeriesDetector } from './define.js';
export { slidingWindows } from './windows.js';

/** Series detectors, in the order `vigil detectors` lists them (each implementation adds itself here). */
export const seriesDetectors: AnySeriesDetectorDefinition[] = [seriesRollingZ, seriesRollingMad, seriesEwma, seasonal];
export { seriesEwma, seriesRollingMad, seriesRollingZ, seasonal };
export { detectPeriod } from './baselines/period.js';
