import { DataError } from '../core/errors.js';
import type { Frame } from '../data/frame.js';
import {
  constantColumns,
  inferSchema,
  labelsFromColumn,
  parseNumber,
  parseTimestamp,
  readTable,
  selectColumns,
  timestampColumnOf,
  toFrame,
} from '../data/index.js';
import { UsageError } from './usage-error.js';
import type { ImageShape } from '../data/images/index.js';
import { isImageInput, loadImageTraining, type ImageFlags } from './image-input.js';

export interface TrainingInput {
  frame: Frame;
  labels?: Uint8Array;
  /** Constant columns left out because of --drop-constant. */
  dropped: string[];
  /** Image input only: the images' shape (see image-input.ts). */
  image?: ImageShape;
}

/** The column flags `fit` and `tune` share, as commander parses them. */
export interface TrainingFlags extends ImageFlags {
  label?: string;
  /** Comma-separated lists. */
  ignore?: string;
  categorical?: string;
  delimiter?: string;
  dropConstant?: boolean;
}

/** Reads a whole training file into a frame of feature columns plus optional 0/1 labels. */
export async function loadTraining(path: string, f: TrainingFlags): Promise<TrainingInput> {
  if (isImageInput(path)) return loadImageTraining(path, f);
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
