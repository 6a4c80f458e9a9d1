/**
 * NDJSON and CSV bodies read into the JSON shape `{points: [...]}`, so one schema validates all
 * three. Only the syntax is checked here (a malformed line, a ragged row); the schema checks values.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { badRequest } from '../../http-errors.js';

export function ndjsonPoints(body: string): { points: unknown[] } {
  const points: unknown[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      points.push(JSON.parse(line));
    } catch {
      throw badRequest(`line ${i + 1}: malformed JSON`);
    }
  }
  return { points };
}

/** A cell as a number; an empty or non-numeric cell becomes NaN, which the schema refuses. */
const cellNumber = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

export function csvPoints(body: string): { points: unknown[] } {
  let rows: string[][];
  try {
    rows = parseCsv(body, { skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw badRequest(`CSV: ${(e as Error).message}`);
  }
  const header = rows[0];
  if (!header) throw badRequest('CSV: empty body');
  if (!header.includes('t')) throw badRequest(`CSV: the header needs a 't' column (got ${header.join(', ')})`);
  const channels = header.filter((c) => c !== 't' && c !== 'key');
  if (!channels.length) throw badRequest('CSV: the header needs a value column');
  const single = channels.length === 1 && channels[0] === 'value';
  const ti = header.indexOf('t');
  const ki = header.indexOf('key');
  const points = rows.slice(1).map((r) => {
    const raw = r[ti]!;
    const p: Record<string, unknown> = { t: /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw };
    if (ki >= 0) p['key'] = r[ki];
    if (single) p['value'] = cellNumber(r[header.indexOf('value')]!);
    else p['values'] = Object.fromEntries(channels.map((c) => [c, cellNumber(r[header.indexOf(c)]!)]));
    return p;
  });
  return { points };
}
