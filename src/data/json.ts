import { DataError } from '../core/errors.js';
import {
  at,
  checkChunkRows,
  checkHeader,
  collectTable,
  rawCell,
  singlePass,
  sourceIterator,
  type RawRow,
  type RawTable,
  type TableStream,
  type TextSource,
} from './table.js';

export interface JsonOptions {
  chunkRows?: number;
  source?: string;
}

/** One parsed record and the line it starts on, for messages. */
interface JsonRecord {
  value: unknown;
  line: number;
}

/**
 * Starts reading JSON records: either a top-level array of objects or NDJSON (one object per
 * line, blank lines skipped). Which one is decided by the first non-blank character ('[' means
 * an array), not by the file name, so a `.json` file holding NDJSON still reads.
 *
 * The header is the first record's keys in order. Later records may leave keys out (null) but
 * may not add keys, because in a stream the columns must be fixed before the rows arrive.
 * Both forms stream: an array is split into elements without parsing it whole.
 */
export async function openJson(input: TextSource, opts: JsonOptions = {}): Promise<TableStream> {
  const { source } = opts;
  const chunkRows = checkChunkRows(opts.chunkRows);
  const records = jsonRecords(sourceIterator(input), source)[Symbol.asyncIterator]();
  const close = async (): Promise<void> => {
    await records.return?.(undefined);
  };
  let header: string[];
  let index: Map<string, number>;
  let queue: JsonRecord[] = [];
  let ended = false;
  // Pulls parsed records until `queue` holds at least `n` or the input ends.
  const fill = async (n: number): Promise<void> => {
    while (queue.length < n && !ended) {
      const r = await records.next();
      if (r.done) ended = true;
      else queue = queue.length ? queue.concat(r.value) : r.value;
    }
  };
  try {
    await fill(1);
    const r = queue[0];
    if (!r) throw new DataError(`${source ?? 'input'} has no records`);
    const obj = asObject(r, source);
    header = Object.keys(obj);
    if (!header.length) throw new DataError(`${at(source)}the first record (line ${r.line}) has no fields`);
    checkHeader(header, source, false);
    index = new Map(header.map((h, j) => [h, j]));
  } catch (e) {
    await close();
    throw e;
  }

  function toRow(r: JsonRecord): RawRow {
    const obj = asObject(r, source);
    const row: RawRow = new Array<string | null>(header.length).fill(null);
    for (const key in obj) {
      const j = index.get(key);
      if (j === undefined) {
        throw new DataError(`${at(source)}the record at line ${r.line} has key '${key}' that the first record lacks (columns: ${header.join(', ')})`);
      }
      const v = rawCell(obj[key]);
      if (v === undefined) {
        throw new DataError(`${at(source)}the record at line ${r.line} has a nested value in '${key}': only flat records are supported`);
      }
      row[j] = v;
    }
    return row;
  }

  async function* chunks(): AsyncGenerator<RawRow[]> {
    try {
      for (;;) {
        await fill(chunkRows);
        if (!queue.length) return;
        const take = queue.length > chunkRows ? queue.slice(0, chunkRows) : queue;
        queue = queue.length > chunkRows ? queue.slice(chunkRows) : [];
        yield take.map(toRow);
      }
    } finally {
      await close();
    }
  }

  return singlePass(header, source, chunks, close);
}

export async function parseJson(input: TextSource, opts: JsonOptions = {}): Promise<RawTable> {
  return collectTable(await openJson(input, opts));
}

function asObject(r: JsonRecord, source: string | undefined): Record<string, unknown> {
  const v = r.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new DataError(`${at(source)}the value at line ${r.line} is not a JSON object`);
  }
  return v as Record<string, unknown>;
}

function parseAt(text: string, line: number, source: string | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message.replace(/\s+/g, ' ');
    throw new DataError(`${at(source)}invalid JSON at line ${line}: ${why.length > 80 ? `${why.slice(0, 77)}...` : why}`);
  }
}

/** Text chunks decoded as UTF-8 without splitting a character across chunk borders. */
async function* decoded(it: AsyncIterator<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let first = true;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      let s = typeof r.value === 'string' ? r.value : decoder.decode(r.value, { stream: true });
      if (first && s.length) {
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
        first = false;
      }
      if (s) yield s;
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } finally {
    await it.return?.();
  }
}

/**
 * Decides array vs NDJSON from the first non-blank character and yields parsed records, a text
 * chunk's worth at a time.
 */
async function* jsonRecords(it: AsyncIterator<string | Uint8Array>, source: string | undefined): AsyncGenerator<JsonRecord[]> {
  const text = decoded(it)[Symbol.asyncIterator]();
  let lead = '';
  for (;;) {
    const r = await text.next();
    if (r.done) throw new DataError(`${source ?? 'input'} is empty`);
    lead += r.value;
    if (lead.trim() !== '') break;
  }
  const rest = (async function* () {
    yield lead;
    for (;;) {
      const r = await text.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  try {
    if (lead.trimStart()[0] === '[') yield* arrayRecords(rest, source);
    else yield* lineRecords(rest, source);
  } finally {
    await text.return?.(undefined);
  }
}

async function* lineRecords(text: AsyncIterable<string>, source: string | undefined): AsyncGenerator<JsonRecord[]> {
  let pending = '';
  let line = 0;
  const emit = (s: string, out: JsonRecord[]): void => {
    line++;
    const t = s.endsWith('\r') ? s.slice(0, -1) : s;
    if (t.trim() !== '') out.push({ value: parseAt(t, line, source), line });
  };
  for await (const chunk of text) {
    pending += chunk;
    const out: JsonRecord[] = [];
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      emit(pending.slice(start, nl), out);
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (out.length) yield out;
  }
  const last: JsonRecord[] = [];
  if (pending !== '') emit(pending, last);
  if (last.length) yield last;
}

/**
 * Splits a top-level JSON array into its elements by tracking strings and nesting, and parses
 * one element at a time: a large array never becomes one large string.
 */
async function* arrayRecords(text: AsyncIterable<string>, source: string | undefined): AsyncGenerator<JsonRecord[]> {
  const bad = (line: number, why: string): DataError => new DataError(`${at(source)}invalid JSON at line ${line}: ${why}`);
  let line = 1;
  let opened = false;
  let closed = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let started = false;
  let elementLine = 1;
  let count = 0;
  const take = (): JsonRecord => {
    const r = { value: parseAt(element, elementLine, source), line: elementLine };
    element = '';
    started = false;
    count++;
    return r;
  };
  for await (const chunk of text) {
    const out: JsonRecord[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (closed) {
        if (c > 32) throw bad(line, "unexpected text after the closing ']'");
        continue;
      }
      if (!opened) {
        if (c === 91) {
          opened = true;
          start = i + 1;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
        continue;
      }
      if (depth === 0 && (c === 44 || c === 93)) {
        // End of an element: a comma, or the array's own closing bracket.
        element += chunk.slice(start, i);
        start = i + 1;
        if (c === 93) closed = true;
        if (started) out.push(take());
        else if (c === 44 || count > 0) throw bad(line, 'empty array element');
        continue;
      }
      if (c > 32 && !started) {
        started = true;
        elementLine = line;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) throw bad(line, "unmatched '}'");
        depth--;
      }
    }
    if (opened && !closed) element += chunk.slice(start);
    if (out.length) yield out;
  }
  if (!closed) throw bad(line, "the array is not closed with ']'");
}
