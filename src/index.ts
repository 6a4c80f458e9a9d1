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
/** Deep detectors by factory, like the others: `autoencoder({ epochs: 20 })`; TF.js loads on the first fit. */
export * from './detectors/deep/index.js';
export * from './threshold/index.js';
export * from './evaluate/metrics.js';
export * from './evaluate/splits.js';
export * from './evaluate/ranges.js';
export * from './evaluate/range-based.js';
export * from './evaluate/event.js';
export * from './evaluate/point-adjust.js';
export * as nab from './evaluate/nab/index.js';
/** A model's report on a set of rows as plain data (`vigil report` draws it as an HTML page). */
export { buildReport, reportFromModel, modelSummary, type ReportInput, type ReportData, type ReportOptions, type ModelSummary, type Comparison, type SeriesInput, type SeriesChart, type TopRow, type Curve, type Histogram } from './report/index.js';
export { Model, modelSpecSchema, type ModelSpec, type Explanation } from './model/model.js';
/** Per-entity features (per card, ip, user, host: counts, sums, means, distinct counts, time since previous, z), from earlier rows only. */
export * from './preprocess/entity/index.js';
export { SeriesModel, seriesModelSpecSchema, type SeriesModelSpec, type SeriesEntry, type ScoredSeries } from './model/series-model.js';
export * from './data/frame.js';
export { parseCsv } from './data/csv.js';
/** Frames, the input `Model.fit` takes: from records, rows of numbers, CSV or JSON text (files: `readFrame` in `vigil/node`). */
export { frameFromArrays, frameFromObjects } from './data/objects.js';
export { frameFromCsv, frameFromJson, frameFromTable, type FrameOptions } from './data/text-frames.js';
export { dropColumns } from './data/columns.js';
export { splitLabel } from './data/labels.js';
export type { RawTable, RawRow, RawValue, TextSource } from './data/table.js';
export type { CsvOptions } from './data/csv.js';
export { DEFAULT_MAX_GAP, TIMESTAMP_NAMES, seriesFromFrame, seriesFromTable, type SeriesOptions, type TimeSeries } from './data/series.js';
export * from './detectors/series/index.js';
export { VERSION } from './version.js';
export { setWasmPaths, type WasmFiles } from './engine/wasm.js';
export * from './stream/index.js';
/** Every stream detector by class, with its options type, beside the ones the stream index exports. */
export { Htm, type HtmOptions } from './stream/detectors/htm/htm.js';
export { ARTIME_NAB_THRESHOLD, Artime, type ArtimeOptions } from './stream/detectors/artime/artime.js';
export type { RollingZOptions } from './stream/detectors/rolling-z/rolling-z.js';
export type { RollingMadOptions } from './stream/detectors/rolling-mad/rolling-mad.js';
export type { EwmaOptions } from './stream/detectors/ewma/ewma.js';
export type { StreamCommonOptions } from './stream/stream-detector.js';
export * from './alerting/index.js';
