import { DataError } from '../core/errors.js';
import type { Frame } from '../data/frame.js';
import {
  columnIndex,
  constantColumns,
  parseLabels,
  inferSchema,
  labelsFromColumn,
  openTable,
  parseNumber,
  parseTimestamp,
  readTable,
  selectColumns,
  timestampColumnOf,
  toFrame,
} from '../data/index.js';
import type { Explanation, Model } from '../model/model.js';
import { UsageError } from './usage-error.js';

export interface TrainingInput {
  frame: Frame;
  labels?: Uint8Array;
  /** Constant columns left out because of --drop-constant. */
  dropped: string[];
}

/** The column flags `fit` and `tune` share, as commander parses them. */
export interface TrainingFlags {
  label?: string;
  /** Comma-separated lists. */
  ignore?: string;
  categorical?: string;
  delimiter?: string;
  dropConstant?: boolean;
}

/** Reads a whole training file into a frame of feature columns plus optional 0/1 labels. */
export async function loadTraining(path: string, f: TrainingFlags): Promise<TrainingInput> {
  const table = await readTable(path, { delimiter: f.delimiter });
  const categorical = splitList(f.categorical);
  const excluded = [...splitList(f.ignore), ...(f.label ? [f.label] : [])];
  const features = selectColumns(table.header, { exclude: excluded }, table.source);
  if (!features.length) throw new DataError(`${path}: no feature columns left after --label and --ignore`);
  const labels = f.label ? labelsFromColumn(table, f.label) : undefined;
  const projected = features.map((name) => table.header.indexOf(name));
  const rows = table.rows.map((r) => projected.map((j) => r[j] ?? null));
  const specs = inferSchema(features, rows, { categorical, source: table.source });
  let frame = toFrame(specs, rows, 1, table.source);
  const constant = constantColumns(frame);
  if (constant.length && f.dropConstant !== true) {
    const names = constant.map((c) => `'${c}'`).join(', ');
    const what = constant.length > 1 ? `constant columns ${names} carry` : `constant column ${names} carries`;
    throw new DataError(`${path}: ${what} no information; leave ${constant.length > 1 ? 'them' : 'it'} out with --ignore or pass --drop-constant`);
  }
  if (constant.length) frame = { rows: frame.rows, columns: frame.columns.filter((c) => !constant.includes(c.name)) };
  if (!frame.columns.length) throw new DataError(`${path}: every feature column is constant`);
  return { frame, labels, dropped: constant };
}

export interface ScoredChunk {
  ids: string[];
  scores: Float64Array;
  explanation?: Explanation;
}

/** Streams a file through a model chunk by chunk, so memory stays bounded whatever the file size. */
export async function* scoreChunks(
  model: Model,
  path: string,
  o: { id?: string; delimiter?: string; explain: boolean },
): AsyncGenerator<ScoredChunk> {
  const table = await openTable(path, { delimiter: o.delimiter });
  let positions: number[];
  let idPos: number;
  try {
    positions = model.columns.map((c) => {
      const j = table.header.indexOf(c.name);
      if (j < 0) throw new DataError(`${path}: missing column '${c.name}' that the model was trained on (columns: ${table.header.join(', ')})`);
      return j;
    });
    idPos = o.id === undefined ? -1 : columnIndex(table.header, o.id, table.source);
  } catch (e) {
    await table.close();
    throw e;
  }
  let rowNumber = 1;
  for await (const chunk of table.chunks()) {
    const rows = chunk.map((r) => positions.map((j) => r[j] ?? null));
    const frame = toFrame(model.columns, rows, rowNumber, table.source);
    const scores = await model.score(frame);
    const explanation = o.explain ? await model.explain(frame) : undefined;
    const ids = idPos >= 0 ? chunk.map((r) => String(r[idPos] ?? '')) : chunk.map((_, i) => String(rowNumber + i));
    rowNumber += chunk.length;
    yield { ids, scores, explanation };
  }
  if (rowNumber === 1) throw new DataError(`${path}: no data rows to score`);
}

/** The 0/1 label column of a data file, read in chunks (the rest of each row is dropped at once). */
export async function readLabels(path: string, label: string, delimiter?: string): Promise<Uint8Array> {
  const table = await openTable(path, { delimiter });
  const j = columnIndex(table.header, label, table.source);
  const parts: Uint8Array[] = [];
  let row = 1;
  for await (const chunk of table.chunks()) {
    parts.push(parseLabels(chunk.map((r) => r[j] ?? null), label, row, table.source));
    row += chunk.length;
  }
  return concatBytes(parts);
}

/** The `score` and, where present, `is_anomaly` columns of a scores file from `vigil score`. */
export async function readScores(path: string): Promise<{ scores: Float64Array; predicted?: Uint8Array }> {
  const table = await openTable(path);
  const js = columnIndex(table.header, 'score', table.source);
  const jp = table.header.indexOf('is_anomaly');
  const scores: number[] = [];
  const predicted: number[] = [];
  let row = 1;
  for await (const chunk of table.chunks()) {
    const frame = toFrame(
      [{ name: 'score', kind: 'numeric' }],
      chunk.map((r) => [r[js] ?? null]),
      row,
      table.source,
    );
    const col = frame.columns[0]!.values as Float64Array;
    col.forEach((v, i) => {
      if (Number.isNaN(v)) throw new DataError(`${path}: row ${row + i} has no score`);
      scores.push(v);
    });
    if (jp >= 0) for (const y of parseLabels(chunk.map((r) => r[jp] ?? null), 'is_anomaly', row, table.source)) predicted.push(y);
    row += chunk.length;
  }
  return { scores: Float64Array.from(scores), predicted: jp >= 0 ? Uint8Array.from(predicted) : undefined };
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function splitList(s: string | undefined): string[] {
  if (s === undefined) return [];
  const items = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (!items.length) throw new UsageError(`expected a comma-separated list, got '${s}'`);
  return items;
}

/*
 * The input rules `fit`, `score` and `stream` share (stream's line formats: src/cli/stream-input.ts):
 * - the timestamp column, when none is named, is the first column named as TIMESTAMP_NAMES lists
 *   (src/data/series.ts: timestamp, time, date, datetime, ts; any case), exactly as series `fit` finds it;
 * - a time is a number (taken as is) or an ISO 8601 date or date-time (to epoch milliseconds);
 * - numbers are read by the data layer's parseNumber, missing cells by its MISSING_TOKENS;
 * - value columns, when none are named, are every column but the timestamp and the series id.
 */

/** The timestamp column of an input with these columns: the one named, else the first named as TIMESTAMP_NAMES lists. */
export function timestampColumn(columns: readonly string[], given?: string): string | undefined {
  return given ?? timestampColumnOf(columns);
}

/** A time cell as a number: a number as is, a numeric string, or an ISO 8601 time in epoch milliseconds. */
export function streamTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  return parseNumber(v) ?? parseTimestamp(v);
}
