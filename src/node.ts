/** Node-only helpers: model files and data files on disk (`import { loadModel } from 'vigil/node'`). */
export { saveModel, loadModel, loadSeriesModel, loadAnyModel } from './persist/file.js';
/** Image input: IDX (MNIST), PNG and JPEG files and class folders to rows of a Matrix. */
export * from './data/images/index.js';
/** Data files (CSV, NDJSON, gzipped) read whole; turn them into time series with `seriesFromTable`. */
export { readTable } from './data/files.js';
