/**
 * The library surface: `import { iforest, Model, rocAuc } from 'vigil'`.
 * Core only: nothing here touches files or the network (see `vigil/node` for model files).
 */
export * from './core/errors.js';
export * from './core/matrix.js';
export { Rng } from './core/random.js';
export type * from './detectors/detector.js';
export { createDetector, getDetector, listDetectors, detectorNames, restoreDetector } from './detectors/registry.js';
export * from './detectors/stats/index.js';
export * from './detectors/classical/index.js';
export * from './threshold/index.js';
export * from './evaluate/metrics.js';
export * from './evaluate/splits.js';
export * from './evaluate/ranges.js';
export * from './evaluate/range-based.js';
export * from './evaluate/event.js';
export * from './evaluate/point-adjust.js';
export * as nab from './evaluate/nab/index.js';
export { Model, modelSpecSchema, type ModelSpec, type Explanation } from './model/model.js';
export { SeriesModel, seriesModelSpecSchema, type SeriesModelSpec, type SeriesEntry, type ScoredSeries } from './model/series-model.js';
export * from './data/frame.js';
export { parseCsv } from './data/csv.js';
export { DEFAULT_MAX_GAP, TIMESTAMP_NAMES, seriesFromFrame, seriesFromTable, type SeriesOptions, type TimeSeries } from './data/series.js';
export * from './detectors/series/index.js';
export { VERSION } from './version.js';
export * from './stream/index.js';
export * from './alerting/index.js';
// Both export a ScoredPoint: the stream scorer's keeps the name, alerting's input is AlertingPoint.
export type { ScoredPoint } from './stream/index.js';
export type { ScoredPoint as AlertingPoint } from './alerting/index.js';
