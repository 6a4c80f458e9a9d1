import { DataError, OptionsError } from '../core/errors.js';
import { parseNumber } from './values.js';

/**
 * The raw, untyped table every reader produces before a schema is applied.
 *
 * A cell is text or null. CSV cells are always text (an empty field is ''); JSON values are
 * normalised to text too (numbers via String(), which round-trips doubles exactly; booleans as
 * 'true'/'false'), and JSON null or an absent key is null. Keeping one representation means
 * inference and conversion have a single code path whatever the file format.
 */
export type RawValue = string | null;
export type RawRow = RawValue[];

/** A whole table in memory. `source` names where it came from, for error messages. */
export interface RawTable {
  header: string[];
  rows: RawRow[];
  source?: string;
}

/**
 * A table read in bounded memory: the header up front, then rows in chunks, each row aligned
 * to the header.
 */
export interface TableStream {
  header: string[];
  source?: string;
  chunks(): AsyncIterable<RawRow[]>;
  /** Releases the input when `chunks()` will not be read to the end (reading to the end, or breaking out of it, releases it too). */
  close(): Promise<void>;
}

export const DEFAULT_CHUNK_ROWS = 4096;

/** Prefix for messages: "x.csv: ..." when the source is known. */
export function at(source: string | undefined): string {
  return source ? `${source}: ` : '';
}

/** Rejects headers a table cannot be addressed by: empty names, repeats, or data posing as a header. */
export function checkHeader(header: string[], source: string | undefined, looksLikeDataCheck: boolean): void {
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === '') throw new DataError(`${at(source)}column ${j + 1} has an empty name in the header`);
    const prev = seen.get(name);
    if (prev !== undefined) {
      throw new DataError(`${at(source)}duplicate column name '${name}' (columns ${prev + 1} and ${j + 1})`);
    }
    seen.set(name, j);
  });
  if (looksLikeDataCheck && header.every((h) => parseNumber(h) !== undefined)) {
    const shown = header.join(', ');
    const line = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
    throw new DataError(`${at(source)}the first line (${line}) looks like data, not a header: add a header row naming the columns`);
  }
}

export function raggedError(source: string | undefined, row: number, fields: number, expected: number): DataError {
  return new DataError(`${at(source)}row ${row} has ${fields} field${fields === 1 ? '' : 's'}, header has ${expected}`);
}

/**
 * A plain JS value as a raw cell: the shared rule for JSON records and frameFromObjects.
 * Returns undefined for values a flat table cannot hold (objects, arrays, functions).
 */
export function rawCell(v: unknown): RawValue | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isNaN(v) ? null : String(v);
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return null;
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      return undefined;
    default:
      return undefined;
  }
}

/** Reads a whole stream into memory. */
/** Text to parse, whole or in pieces: a string, a Buffer, an HTTP body, a file stream. */
export type TextSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

export function sourceIterator(input: TextSource): AsyncIterator<string | Uint8Array> {
  if (typeof input === 'string' || input instanceof Uint8Array) input = [input];
  if (Symbol.asyncIterator in input) return input[Symbol.asyncIterator]();
  const it = input[Symbol.iterator]();
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}

export async function collectTable(stream: TableStream): Promise<RawTable> {
  const rows: RawRow[] = [];
  for await (const chunk of stream.chunks()) for (const r of chunk) rows.push(r);
  return { header: stream.header, rows, source: stream.source };
}

/** Groups single rows into arrays of at most `size`, so consumers work a batch at a time. */
export async function* batch(rows: AsyncIterable<RawRow>, size: number): AsyncGenerator<RawRow[]> {
  let buf: RawRow[] = [];
  for await (const r of rows) {
    buf.push(r);
    if (buf.length >= size) {
      yield buf;
      buf = [];
    }
  }
  if (buf.length) yield buf;
}

export function checkChunkRows(n: number | undefined): number {
  if (n === undefined) return DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(n) || n < 1) throw new OptionsError(`chunkRows must be a positive integer, got ${n}`);
  return n;
}

/**
 * A TableStream over a single-pass source: `chunks()` may be taken once (a second call is a
 * programming error, since the source is consumed); re-reading means opening the source again.
 */
export function singlePass(
  header: string[],
  source: string | undefined,
  chunks: () => AsyncIterable<RawRow[]>,
  close: () => Promise<void>,
): TableStream {
  let used = false;
  return {
    header,
    source,
    chunks() {
      if (used) throw new Error(`${at(source)}this stream has already been read; open it again to re-read`);
      used = true;
      return chunks();
    },
    close,
  };
}
