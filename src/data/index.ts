/**
 * Reading tables and typing their columns. Everything here works on text and plain values
 * except `files.ts` (openTable, readTable), the one module that touches the file system.
 */
export * from './frame.js';
export { MISSING_TOKENS, isMissing, parseNumber, parseTimestamp } from './values.js';
export {
  DEFAULT_CHUNK_ROWS,
  collectTable,
  type RawRow,
  type RawTable,
  type RawValue,
  type TableStream,
  type TextSource,
} from './table.js';
export { DELIMITERS, detectDelimiter, openCsv, parseCsv, type CsvOptions } from './csv.js';
export { openJson, parseJson, type JsonOptions } from './json.js';
export { NUMERIC_MAJORITY, inferSchema, type InferOptions } from './schema.js';
export { toFrame } from './convert.js';
export { columnIndex, dropColumns, selectColumns, unknownColumnError, type Selection } from './columns.js';
export { labelsFromColumn, parseLabel, parseLabels, splitLabel } from './labels.js';
export { constantColumns } from './constant.js';
export { frameFromArrays, frameFromObjects } from './objects.js';
export { formatOf, openTable, readTable, type OpenTableOptions, type TableFormat } from './files.js';
export { DEFAULT_MAX_GAP, TIMESTAMP_NAMES, seriesFromFrame, timestampColumnOf, seriesFromTable, type SeriesOptions, type TimeSeries } from './series.js';
