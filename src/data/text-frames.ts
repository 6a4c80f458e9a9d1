import type { Frame } from './frame.js';
import { toFrame } from './convert.js';
import { parseCsv, type CsvOptions } from './csv.js';
import { parseJson } from './json.js';
import { inferSchema, type InferOptions } from './schema.js';
import type { RawTable, TextSource } from './table.js';

/** How a table's columns become a frame: the same typing rules as `vigil fit`. */
export type FrameOptions = Omit<InferOptions, 'firstRowNumber'>;

/**
 * A frame from a table already read (e.g. by `readTable` in `vigil/node`): each column typed
 * numeric, categorical or timestamp from its values, as `vigil fit` types a file's columns.
 */
export function frameFromTable(table: RawTable, opts: FrameOptions = {}): Frame {
  const o = { ...opts, source: opts.source ?? table.source };
  return toFrame(inferSchema(table.header, table.rows, o), table.rows, 1, o.source);
}

/** A frame from CSV text (header row first; the delimiter detected unless given). */
export async function frameFromCsv(text: TextSource, opts: FrameOptions & Pick<CsvOptions, 'delimiter'> = {}): Promise<Frame> {
  return frameFromTable(await parseCsv(text, { delimiter: opts.delimiter, source: opts.source }), opts);
}

/** A frame from JSON text: an array of flat objects, or NDJSON (one object per line). */
export async function frameFromJson(text: TextSource, opts: FrameOptions = {}): Promise<Frame> {
  return frameFromTable(await parseJson(text, { source: opts.source }), opts);
}
