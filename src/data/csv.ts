import type { Readable } from 'node:stream';
import { startParser } from '#csv-parser';
import { DataError, OptionsError, VigilError } from '../core/errors.js';
import {
  at,
  checkChunkRows,
  checkHeader,
  collectTable,
  raggedError,
  singlePass,
  sourceIterator,
  type RawRow,
  type RawTable,
  type TableStream,
  type TextSource,
} from './table.js';

export interface CsvOptions {
  /** One character; `\t` or `tab` also mean a tab. Detected from the header line when absent. */
  delimiter?: string;
  /** Rows per chunk from `chunks()`. */
  chunkRows?: number;
  /** Names the input in error messages, e.g. the file path. */
  source?: string;
  /**
   * A row with more or fewer fields than the header: 'error' (the default) stops the read;
   * 'keep' passes it on as it is, for a reader that skips bad rows itself.
   */
  ragged?: 'error' | 'keep';
}

/** The delimiters auto-detection chooses among, in order of preference on a tie. */
export const DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

// Past this the header line is surely complete enough to count delimiters in.
const MAX_HEADER_SCAN = 1 << 20;

export function normaliseDelimiter(d: string): string {
  const v = d === '\\t' || d.toLowerCase() === 'tab' ? '\t' : d;
  if (v.length !== 1 || v === '"' || v === '\n' || v === '\r') {
    throw new OptionsError(`delimiter must be a single character other than a quote or newline, got '${d}'`);
  }
  return v;
}

/** The candidate that occurs most often outside quotes in the header line; ',' when none does. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Starts parsing CSV text and returns once the header (and the first data row, so a header-only
 * input fails here rather than mid-pipeline) has been read. The rows then stream: memory holds
 * one chunk, never the whole input. The returned stream can be iterated once.
 */
export async function openCsv(input: TextSource, opts: CsvOptions = {}): Promise<TableStream> {
  const { source } = opts;
  const chunkRows = checkChunkRows(opts.chunkRows);
  const it = sourceIterator(input);
  let prefix: (string | Uint8Array)[];
  let delimiter: string;
  try {
    if (opts.delimiter !== undefined) {
      delimiter = normaliseDelimiter(opts.delimiter);
      prefix = [];
    } else {
      const head = await readHeaderLine(it);
      prefix = head.chunks;
      delimiter = detectDelimiter(head.line);
    }
  } catch (e) {
    await it.return?.();
    throw e;
  }

  async function* text(): AsyncGenerator<string | Uint8Array> {
    try {
      yield* prefix;
      prefix = [];
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }

  // Every line end, whatever the first one was: a file with a Windows header and Unix rows (or the
  // reverse, as concatenated exports give) would otherwise keep '\r' in the last field or start the
  // next row's first field with '\n'.
  const parser = startParser(text(), { delimiter, record_delimiter: ['\r\n', '\n', '\r'], bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  // Records come off the parser in batches: one promise per batch, not per row, keeps the
  // parser (not the plumbing) the cost of reading.
  const take = async (max: number): Promise<string[][]> => {
    let batch: string[][];
    try {
      batch = await readBatch<string[]>(parser, max);
    } catch (e) {
      if (e instanceof VigilError) throw e;
      if (isCsvError(e)) throw new DataError(`${at(source)}${oneLine(e.message)}`);
      throw e;
    }
    // A line of only spaces: csv-parse keeps it as one blank field; treat it like an empty line.
    return batch.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
  };

  let header: string[] | undefined;
  let rowCount = 0;
  const checked = (batch: string[][]): RawRow[] => {
    if (opts.ragged === 'keep') return batch;
    for (const r of batch) {
      rowCount++;
      if (r.length !== header!.length) throw raggedError(source, rowCount, r.length, header!.length);
    }
    return batch;
  };

  let pending: RawRow[] = [];
  let ended = false;
  try {
    for (;;) {
      const h = await take(1);
      if (h.length) {
        header = h[0]!.map((s) => s.trim());
        break;
      }
      if (parserDone(parser)) throw new DataError(`${source ?? 'input'} is empty`);
    }
    checkHeader(header, source, true);
    while (!pending.length && !ended) {
      const b = await take(chunkRows);
      ended = parserDone(parser);
      pending = checked(b);
    }
    if (!pending.length) throw new DataError(`${source ?? 'input'} has a header but no data rows`);
  } catch (e) {
    parser.destroy();
    throw e;
  }

  async function* chunks(): AsyncGenerator<RawRow[]> {
    try {
      yield pending;
      pending = [];
      while (!ended) {
        const b = await take(chunkRows);
        ended = parserDone(parser);
        if (b.length) yield checked(b);
      }
    } finally {
      parser.destroy();
    }
  }

  return singlePass(header, source, chunks, async () => {
    parser.destroy();
  });
}

function parserDone(s: Readable): boolean {
  return s.readableEnded || s.destroyed;
}

/**
 * Up to `max` objects from a readable in object mode, waiting for more until it has them or the
 * stream ends; an empty array only at the end.
 */
export async function readBatch<T>(s: Readable, max: number): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    let r: T | null = null;
    while (out.length < max && (r = s.read() as T | null) !== null) out.push(r);
    if (s.errored) throw s.errored;
    if (out.length >= max || s.readableEnded || s.destroyed) return out;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        off();
        resolve();
      };
      const fail = (e: unknown): void => {
        off();
        reject(e);
      };
      const off = (): void => {
        s.off('readable', done);
        s.off('end', done);
        s.off('close', done);
        s.off('error', fail);
      };
      s.on('readable', done);
      s.on('end', done);
      s.on('close', done);
      s.on('error', fail);
    });
  }
}

/** Parses a whole CSV text. */
export async function parseCsv(input: TextSource, opts: CsvOptions = {}): Promise<RawTable> {
  return collectTable(await openCsv(input, opts));
}

/** Pulls chunks until the header line is complete, keeping them to replay into the parser. */
async function readHeaderLine(it: AsyncIterator<string | Uint8Array>): Promise<{ line: string; chunks: (string | Uint8Array)[] }> {
  const chunks: (string | Uint8Array)[] = [];
  const decoder = new TextDecoder();
  let text = '';
  let pos = 0;
  let quoted = false;
  for (;;) {
    const r = await it.next();
    if (r.done) return { line: text, chunks };
    chunks.push(r.value);
    text += typeof r.value === 'string' ? r.value : decoder.decode(r.value, { stream: true });
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 34) quoted = !quoted;
      else if (!quoted && (c === 10 || c === 13)) return { line: text.slice(0, pos), chunks };
    }
    if (text.length > MAX_HEADER_SCAN) return { line: text, chunks };
  }
}

function isCsvError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && (e as unknown as { code: string }).code.startsWith('CSV_');
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
