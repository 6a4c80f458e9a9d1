/**
 * Records of `vigil stream` to the core's points: which field is the time, which the series key,
 * which the values (the column roles of src/cli/input.ts), settled once from the CSV header or
 * the first NDJSON record. Problems with one record are DataErrors naming its line, in the
 * user's terms (columns, not point fields); a header lacking a named column stops the run.
 */
import { DataError } from '../core/errors.js';
import { isMissing, parseNumber } from '../data/index.js';
import type { ColumnSpec } from '../data/frame.js';
import type { ScorerPoint } from '../stream/index.js';
import { streamTime, timestampColumn } from './input.js';
import type { StreamRecord } from './stream-input.js';

export interface RecordLayout {
  /** Value columns; default every field but the timestamp and the series id (a tabular model: its columns). */
  values?: readonly string[];
  /** Default: the first field named as TIMESTAMP_NAMES lists (as series `fit` finds it), if any; a tabular model: none. */
  timestamp?: string;
  seriesId?: string;
  /** A tabular model's columns: every one is passed, text as text, for the model to read. */
  model?: readonly ColumnSpec[];
}

export interface ReadRecord {
  point: ScorerPoint;
  /** The timestamp as given, for the result line (undefined without a timestamp column). */
  t: unknown;
  key: string | null;
}

export class RecordReader {
  private roles: { timestamp?: string; values: readonly string[] | null } | null = null;
  /** Last scored time per series. */
  private lastT = new Map<string | null, number>();

  constructor(private readonly layout: RecordLayout) {}

  /** The timestamp column, once the roles are settled. */
  get timestamp(): string | undefined {
    return this.roles?.timestamp;
  }

  /** Settles the roles from a CSV header; a named column it lacks is an error for the whole input. */
  header(columns: readonly string[]): void {
    const l = this.layout;
    if (l.timestamp !== undefined && !columns.includes(l.timestamp)) throw new DataError(`the input has no timestamp column '${l.timestamp}' (columns: ${columns.join(', ')})`);
    if (l.model) {
      const missing = l.model.filter((c) => !columns.includes(c.name)).map((c) => `'${c.name}'`);
      if (missing.length) throw new DataError(`the input lacks column ${missing.join(', ')} that the model was trained on (columns: ${columns.join(', ')})`);
    }
    const missing = [...(l.values ?? []), ...(l.seriesId === undefined ? [] : [l.seriesId])].filter((c) => !columns.includes(c));
    if (missing.length) throw new DataError(`the input has no column ${missing.map((c) => `'${c}'`).join(', ')} (columns: ${columns.join(', ')})`);
    this.settle(columns);
  }

  /** The point of one record, its time as given and its series; checks the time does not go back within the series. */
  read(rec: StreamRecord, lineNo: number): ReadRecord {
    if (!this.roles) this.settle(Object.keys(rec));
    const { timestamp, values } = this.roles!;
    const key = this.layout.seriesId === undefined ? null : seriesKey(rec, this.layout.seriesId, lineNo);
    let at = lineNo;
    if (timestamp !== undefined) {
      const t = streamTime(rec[timestamp]);
      if (t === undefined) throw new DataError(`line ${lineNo}: timestamp '${timestamp}' is ${JSON.stringify(rec[timestamp] ?? null)}, not a time`);
      if (t < (this.lastT.get(key) ?? -Infinity)) {
        const of = key === null ? '' : ` of series '${key}'`;
        throw new DataError(`line ${lineNo}: timestamp ${JSON.stringify(rec[timestamp])} is before the previous one${of} (timestamps must be sorted)`);
      }
      at = t;
    }
    const point: ScorerPoint = this.layout.model ? modelPoint(rec, this.layout.model, lineNo, at) : { t: at, values: {} };
    if (!this.layout.model) for (const c of values!) point.values[c] = numberField(rec, c, lineNo);
    if (key !== null) point.key = key;
    return { point, t: timestamp === undefined ? undefined : rec[timestamp], key };
  }

  /** A scored record's time: later records of its series must not go back before it. */
  commit(r: ReadRecord): void {
    if (this.roles!.timestamp !== undefined) this.lastT.set(r.key, r.point.t);
  }

  private settle(fields: readonly string[]): void {
    const l = this.layout;
    // A tabular model scores rows in any order, as `score` does: its input has a time only when named.
    const timestamp = l.model ? l.timestamp : timestampColumn(fields, l.timestamp);
    const values = l.model ? null : (l.values ?? fields.filter((f) => f !== timestamp && f !== l.seriesId));
    if (values && !values.length) throw new DataError(`the input has no value column (fields: ${fields.join(', ')})`);
    this.roles = { timestamp, values };
  }
}

/** A tabular model's row: numbers as values, text and missing cells as fields, for the model to read. */
function modelPoint(rec: StreamRecord, columns: readonly ColumnSpec[], lineNo: number, t: number): ScorerPoint {
  const point: ScorerPoint = { t, values: {}, fields: {} };
  for (const c of columns) {
    const v = rec[c.name];
    if (v === undefined) throw new DataError(`line ${lineNo}: missing column '${c.name}' that the model was trained on`);
    if (v !== null && typeof v === 'object') throw new DataError(`line ${lineNo}: column '${c.name}' is ${JSON.stringify(v)}, not a value`);
    if (typeof v === 'number' && c.kind === 'numeric') {
      if (!Number.isFinite(v)) throw new DataError(`line ${lineNo}: column '${c.name}' is ${v}, not a finite number`);
      point.values[c.name] = v;
      continue;
    }
    const s = v === null ? null : String(v);
    if (c.kind === 'numeric' && s !== null && !isMissing(s) && parseNumber(s) === undefined) throw new DataError(`line ${lineNo}: column '${c.name}' is ${JSON.stringify(v)}, not a number`);
    point.fields![c.name] = s;
  }
  return point;
}

/** The series id of a record, as text; a missing one is a DataError. */
function seriesKey(rec: StreamRecord, column: string, lineNo: number): string {
  const v = rec[column];
  if (v === undefined || v === null || v === '' || typeof v === 'object') throw new DataError(`line ${lineNo}: no series id in column '${column}'`);
  return String(v);
}

/** A number in a record field: a JSON number or a numeric string; anything else is a DataError. */
function numberField(rec: StreamRecord, column: string, lineNo: number): number {
  const v = rec[column];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? (parseNumber(v) ?? NaN) : NaN;
  if (Number.isFinite(n)) return n;
  // JSON reads 1e400 as Infinity: say it is too large rather than call it null.
  const huge = typeof v === 'number' || (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v.trim()));
  const what = huge ? `${String(v).trim()}, too large for a number` : `${JSON.stringify(v ?? null)}, not a number`;
  throw new DataError(`line ${lineNo}: column '${column}' is ${what}`);
}
