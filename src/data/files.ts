/**
 * The only place data files meet the file system: opening, gunzipping, choosing the parser by
 * file name. Everything else in src/data works on text, so the service can feed it request bodies.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DataError } from '../core/errors.js';
import { openCsv } from './csv.js';
import { openJson } from './json.js';
import { collectTable, type RawTable, type TableStream } from './table.js';

export type TableFormat = 'csv' | 'json';

export interface OpenTableOptions {
  /** CSV only; detected from the header line when absent. */
  delimiter?: string;
  chunkRows?: number;
  /** Overrides the choice by extension. */
  format?: TableFormat;
  /** CSV only: see CsvOptions.ragged. */
  ragged?: 'error' | 'keep';
}

/**
 * Format and compression from the name: `.json`, `.ndjson`, `.jsonl` are JSON, anything else is
 * CSV (`.csv`, `.tsv`, `.txt`, ...); a trailing `.gz` means gzip.
 */
export function formatOf(path: string): { format: TableFormat; gzip: boolean } {
  const lower = path.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  const json = base.endsWith('.json') || base.endsWith('.ndjson') || base.endsWith('.jsonl');
  return { format: json ? 'json' : 'csv', gzip };
}

/**
 * Opens a data file for streaming: the header now, rows chunk by chunk later, in memory bounded
 * by the chunk size. `chunks()` may be called again; each later call re-reads the file.
 */
export async function openTable(path: string, opts: OpenTableOptions = {}): Promise<TableStream> {
  const first = await openOnce(path, opts);
  let fresh: TableStream | undefined = first;
  return {
    header: first.header,
    source: path,
    async *chunks() {
      const t = fresh ?? (await openOnce(path, opts));
      fresh = undefined;
      if (t.header.join('\u0000') !== first.header.join('\u0000')) throw new DataError(`${path} changed while it was being read`);
      yield* t.chunks();
    },
    async close() {
      await fresh?.close();
      fresh = undefined;
    },
  };
}

/** Reads a whole data file into memory. */
export async function readTable(path: string, opts: OpenTableOptions = {}): Promise<RawTable> {
  return collectTable(await openTable(path, opts));
}

async function openOnce(path: string, opts: OpenTableOptions): Promise<TableStream> {
  const { format, gzip } = formatOf(path);
  const bytes = fileBytes(await openFile(path), path, gzip);
  const o = { chunkRows: opts.chunkRows, source: path };
  return (opts.format ?? format) === 'json' ? openJson(bytes, o) : openCsv(bytes, { ...o, delimiter: opts.delimiter, ragged: opts.ragged });
}

async function openFile(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileError(e, path);
  }
  const st = await fh.stat();
  if (st.isDirectory()) {
    await fh.close();
    throw new DataError(`${path} is a directory, not a data file`);
  }
  if (st.size === 0 && st.isFile()) {
    await fh.close();
    throw new DataError(`${path} is empty`);
  }
  return fh;
}

/**
 * The file's bytes, gunzipped if asked; read errors become one-line DataErrors. The stream is
 * created now, not on first read, so ending the iteration early always closes the file.
 */
function fileBytes(fh: FileHandle, path: string, gzip: boolean): AsyncIterable<Uint8Array> {
  const raw = fh.createReadStream({ highWaterMark: 1 << 16 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (e) => stream.destroy(e));
  const close = (): void => {
    stream.destroy();
    raw.destroy();
  };
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        try {
          return await it.next();
        } catch (e) {
          close();
          const code = (e as NodeJS.ErrnoException).code ?? '';
          if (code.startsWith('Z_')) throw new DataError(`${path}: not valid gzip data (${(e as Error).message})`);
          throw fileError(e, path);
        }
      },
      async return() {
        close();
        return { done: true, value: undefined };
      },
    }),
  };
}

function fileError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(`no such file: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new DataError(`cannot read ${path}: permission denied`);
  if (code === 'EISDIR') return new DataError(`${path} is a directory, not a data file`);
  return e;
}
