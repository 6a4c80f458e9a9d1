import { UsageError } from './usage-error.js';

/**
 * `--set key=value` pairs to a plain options object. Values are read as JSON where they parse
 * (numbers, booleans, lists) and as strings otherwise; the detector's schema then validates them.
 */
export function parseSetPairs(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value, got '${p}'`);
    const key = p.slice(0, eq).trim();
    const raw = p.slice(eq + 1).trim();
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[key] = value;
  }
  return out;
}
