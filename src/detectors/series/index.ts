import type { AnySeriesDetectorDefinition } from './series-detector.js';

export type * from './series-detector.js';
export { defineSeriesDetector } from './define.js';
export { slidingWindows } from './windows.js';

/** Series detectors, in the order `vigil detectors` lists them (each implementation adds itself here). */
export const seriesDetectors: AnySeriesDetectorDefinition[] = [];
