/**
 * Lines of `vigil stream` input to records: NDJSON (one object per line) or CSV (header first),
 * told apart by the first non-empty line. Every problem with one line is a DataError naming it,
 * so the command can skip the line or stop, as the user chose.
 */
import { DataError } from '../core/errors.js';
import { TOO_LARGE, overflows, parseTimestamp } from '../data/index.js';

export type StreamRecord = Record<string, unknown>;

export class StreamLines {
  private header: string[] | null = null;
  private ndjson: boolean | null = null;
  /** Last committed time per series (one key, null, without a series id column). */
  private lastT = new Map<string | null, number>();

  constructor(
    private readonly timestamp?: string,
    private readonly seriesId?: string,
  ) {}

  /** The CSV header, once read (null for NDJSON or before it). */
  get columns(): readonly string[] | null {
    return this.header;
  }

  /** The record on a line; null for a blank line or the CSV header (then in `columns`). */
  parse(raw: string, lineNo: number): StreamRecord | null {
    const line = raw.trim();
    if (line === '') return null;
    if (this.ndjson === null) this.ndjson = line.startsWith('{');
    if (this.ndjson) {
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new DataError(`line ${lineNo}: not a JSON object`);
      }
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new DataError(`line ${lineNo}: not a JSON object`);
      return rec as StreamRecord;
    }
    const cells = splitCsvLine(line);
    if (!this.header) {
      this.header = cells;
      return null;
    }
    if (cells.length !== this.header.length) throw new DataError(`line ${lineNo}: ${cells.length} cells, the header has ${this.header.length}`);
    return Object.fromEntries(this.header.map((h, i) => [h, cells[i]]));
  }

  /**
   * The record's timestamp as given (`t`) and as a number (`at`), after checking it is a time not
   * before the last committed one; undefined without a timestamp column.
   */
  time(rec: StreamRecord, lineNo: number): { t: unknown; at: number; key: string | null } | undefined {
    if (!this.timestamp) return undefined;
    const key = this.seriesId === undefined ? null : seriesKey(rec, this.seriesId, lineNo);
    const t = rec[this.timestamp];
    const at = typeof t === 'number' ? t : typeof t === 'string' ? (/^-?[\d.]+(e-?\d+)?$/i.test(t) ? Number(t) : parseTimestamp(t)) : undefined;
    if (at === undefined || !Number.isFinite(at)) throw new DataError(`line ${lineNo}: timestamp '${this.timestamp}' is ${JSON.stringify(t ?? null)}, not a time`);
    if (at < (this.lastT.get(key) ?? -Infinity)) {
      const of = key === null ? '' : ` of series '${key}'`;
      throw new DataError(`line ${lineNo}: timestamp ${JSON.stringify(t)} is before the previous one${of} (timestamps must be sorted)`);
    }
    return { t, at, key };
  }

  /** Records the time of a line that was scored: later lines (of its series) must not go back before it. */
  commit(time: { at: number; key: string | null } | undefined): void {
    if (time) this.lastT.set(time.key, time.at);
  }
}

/** The series id of a record, as text; a missing one is a DataError. */
export function seriesKey(rec: StreamRecord, column: string, lineNo: number): string {
  const v = rec[column];
  if (v === undefined || v === null || v === '' || typeof v === 'object') throw new DataError(`line ${lineNo}: no series id in column '${column}'`);
  return String(v);
}

/** A number in a record field: a JSON number or a numeric string; anything else is a DataError. */
export function numberField(rec: StreamRecord, column: string, lineNo: number): number {
  const v = rec[column];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (overflows(v)) throw new DataError(`line ${lineNo}: column '${column}' is ${TOO_LARGE}`);
  if (!Number.isFinite(n)) throw new DataError(`line ${lineNo}: column '${column}' is ${JSON.stringify(v ?? null)}, not a number`);
  return n;
}

/** Splits one CSV line on commas outside double quotes ("" inside quotes is a quote). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}
