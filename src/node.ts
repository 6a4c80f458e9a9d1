/** Node-only helpers: model files and data files on disk (`import { loadModel } from 'vigil/node'`). */
import type { Frame } from './data/frame.js';
import { readTable, type OpenTableOptions } from './data/files.js';
import { frameFromTable, type FrameOptions } from './data/text-frames.js';

export { saveModel, loadModel, loadSeriesModel, loadAnyModel } from './persist/file.js';
/** Image input: IDX (MNIST), PNG and JPEG files and class folders to rows of a Matrix. */
export * from './data/images/index.js';
/** Data files (CSV, NDJSON, gzipped) read whole; turn them into time series with `seriesFromTable`. */
export { readTable, type OpenTableOptions } from './data/files.js';

/**
 * A data file (CSV, JSON, NDJSON, optionally gzipped; format by file name) read whole into the
 * frame `Model.fit` takes, its columns typed as `vigil fit` types them.
 */
export async function readFrame(path: string, opts: FrameOptions & Omit<OpenTableOptions, 'chunkRows'> = {}): Promise<Frame> {
  const { delimiter, format, ...infer } = opts;
  return frameFromTable(await readTable(path, { delimiter, format }), infer);
}
