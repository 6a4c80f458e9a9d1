/**
 * How one raw text cell is read: as missing, as a number, or as a timestamp. Inference and
 * conversion share these so a value that made a column numeric always converts the same way.
 */

/**
 * Cell texts that mean "no value", compared case-insensitively after trimming whitespace.
 * Covers what spreadsheets, R, pandas and Weka write for a blank.
 */
export const MISSING_TOKENS: readonly string[] = ['', 'na', 'n/a', 'nan', 'null', 'none', '?'];

const MISSING = new Set(MISSING_TOKENS);

export function isMissing(v: string | null | undefined): boolean {
  if (v === null || v === undefined) return true;
  // Most cells are ordinary values: skip the trim/lowercase allocation when it cannot match.
  if (v.length > 4 && v.charCodeAt(0) > 32 && v.charCodeAt(v.length - 1) > 32) return false;
  return MISSING.has(v.trim().toLowerCase());
}

// Plain decimal notation only: Number() alone would also take '0x1F', '0b1', 'Infinity' and ' '.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** How messages name a number beyond a double's range, which would otherwise read as ±Infinity (or, in JSON, as null). */
export const TOO_LARGE = 'a number too large for a double (beyond ±1.8e308)';

/** Whether a value spells a number beyond a double's range (or, parsed from JSON, already became ±Infinity). */
export function overflows(v: unknown): boolean {
  if (typeof v === 'number') return v === Infinity || v === -Infinity;
  if (typeof v !== 'string') return false;
  const s = v.trim();
  return NUMBER.test(s) && !Number.isFinite(Number(s));
}

/** The finite number a cell spells, or undefined when it is not one (missing cells included). */
export function parseNumber(v: string): number | undefined {
  const s = v.trim();
  if (!NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

// Calendar date, optionally a time (after 'T' or one space), optionally a zone.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Milliseconds since the epoch for an ISO-8601 date or date-time, or undefined.
 * A time without a zone is taken as UTC (not the machine's local zone) so the same file gives
 * the same numbers on every machine. Fractions of a millisecond are truncated.
 */
export function parseTimestamp(v: string): number | undefined {
  const m = ISO.exec(v.trim());
  if (!m) return undefined;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  const ms = m[7] === undefined ? 0 : +m[7].slice(0, 3).padEnd(3, '0');
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return undefined;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2) : 0;
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear undoes that.
  const d = new Date(t);
  if (year < 100) d.setUTCFullYear(year);
  return d.getTime() - offset * 60_000;
}
