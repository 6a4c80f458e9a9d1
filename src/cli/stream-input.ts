/**
 * Lines of `vigil stream` input to records: NDJSON (one object per line) or CSV (a header, then
 * rows). The rules, shared with `fit` and `score` where they overlap (src/cli/input.ts):
 * - a byte-order mark is dropped, line ends may be LF or CRLF, blank lines are passed over;
 * - the first non-blank line starting with `{` makes the input NDJSON; any other first line is a
 *   CSV header, confirmed by the next line. If that next line starts with `{` instead, the first
 *   was a stray line (a banner, the tail of a cut-off record): it is reported as a bad line and the
 *   input is NDJSON, so one stray line never turns every later record into a bad one; likewise a
 *   one-cell line before a line of several cells is a stray line before the real header;
 * - CSV cells are split on the delimiter detected from the header as `fit` detects it, with
 *   double quotes as csv-parse reads them (a quoted cell must not span lines);
 * - an NDJSON field holding an object of values (`{"t": 1, "values": {"cpu": 0.7}}`, the
 *   service's point shape) gives its entries as fields of their own (`cpu`).
 * Every problem with one line is a DataError naming it, so the command can skip it or stop.
 */
import { parse } from 'csv-parse/sync';
import { DataError } from '../core/errors.js';
import { detectDelimiter } from '../data/index.js';

export type StreamRecord = Record<string, unknown>;

export type LineItem =
  | { kind: 'header'; lineNo: number; columns: string[] }
  | { kind: 'record'; lineNo: number; record: StreamRecord }
  | { kind: 'bad'; lineNo: number; error: DataError };

export class StreamLines {
  private format: 'ndjson' | 'csv' | null = null;
  private candidate: { line: string; lineNo: number } | null = null;
  private header: string[] | null = null;
  private delimiter = ',';
  private first = true;
  /** Non-blank lines that were not a header. */
  dataLines = 0;

  /** The CSV header, once confirmed (null for NDJSON or before it). */
  get columns(): readonly string[] | null {
    return this.header;
  }

  /** What one more line gives: nothing (blank, or a header still to confirm), a record, a bad line, a confirmed header. */
  push(raw: string, lineNo: number): LineItem[] {
    let line = this.first ? raw.replace(/^\uFEFF/, '') : raw;
    this.first = false;
    line = line.trim();
    if (line === '') return [];
    if (this.format === null) {
      if (this.candidate === null && !line.startsWith('{')) {
        // Held until the next line says whether it is a header.
        this.candidate = { line, lineNo };
        return [];
      }
      const held = this.candidate;
      this.candidate = null;
      if (line.startsWith('{')) {
        this.format = 'ndjson';
        const out: LineItem[] = [];
        if (held) {
          this.dataLines++;
          out.push({ kind: 'bad', lineNo: held.lineNo, error: new DataError(`line ${held.lineNo}: not a JSON object`) });
        }
        return [...out, this.item(line, lineNo)];
      }
      // A one-cell line before a line of several (a banner, a comment) is not the header either.
      const delimiter = detectDelimiter(held!.line);
      const width = this.cells(line, lineNo, delimiter).length;
      if (this.cells(held!.line, held!.lineNo, delimiter).length === 1 && width > 1) {
        this.dataLines++;
        this.candidate = { line, lineNo };
        return [{ kind: 'bad', lineNo: held!.lineNo, error: new DataError(`line ${held!.lineNo}: not a CSV header (one cell, the next line has ${width})`) }];
      }
      this.format = 'csv';
      return [this.setHeader(held!), this.item(line, lineNo)];
    }
    return [this.item(line, lineNo)];
  }

  /** At the end of the input: a header never followed by a row is still a header. */
  end(): LineItem[] {
    const held = this.candidate;
    this.candidate = null;
    if (!held) return [];
    this.format = 'csv';
    return [this.setHeader(held)];
  }

  private setHeader(h: { line: string; lineNo: number }): LineItem {
    this.delimiter = detectDelimiter(h.line);
    this.header = this.cells(h.line, h.lineNo);
    return { kind: 'header', lineNo: h.lineNo, columns: this.header };
  }

  private item(line: string, lineNo: number): LineItem {
    this.dataLines++;
    try {
      return { kind: 'record', lineNo, record: this.format === 'ndjson' ? jsonRecord(line, lineNo) : this.csvRecord(line, lineNo) };
    } catch (e) {
      if (e instanceof DataError) return { kind: 'bad', lineNo, error: e };
      throw e;
    }
  }

  private csvRecord(line: string, lineNo: number): StreamRecord {
    const cells = this.cells(line, lineNo);
    const header = this.header!;
    if (cells.length !== header.length) throw new DataError(`line ${lineNo}: ${cells.length} cells, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  }

  private cells(line: string, lineNo: number, delimiter = this.delimiter): string[] {
    try {
      const rows = parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
      return (rows[0] ?? []).map((c) => c.trim());
    } catch (e) {
      throw new DataError(`line ${lineNo}: not a CSV row (${(e as Error).message.split('\n')[0]})`);
    }
  }
}

function jsonRecord(line: string, lineNo: number): StreamRecord {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    throw new DataError(`line ${lineNo}: not a JSON object`);
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new DataError(`line ${lineNo}: not a JSON object`);
  const out: StreamRecord = {};
  for (const [k, v] of Object.entries(rec)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      if (k in out) throw new DataError(`line ${lineNo}: field '${k}' is given twice`);
      out[k] = v;
      continue;
    }
    for (const [ck, cv] of Object.entries(v)) {
      if (ck in out || ck in rec) throw new DataError(`line ${lineNo}: field '${ck}' is given twice (in '${k}' and beside it)`);
      out[ck] = cv;
    }
  }
  return out;
}
