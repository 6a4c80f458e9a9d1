import { z } from 'zod';
import { UsageError } from './usage-error.js';

/**
 * `--set key=value` pairs to a plain options object. Values are read as JSON where they parse
 * (numbers, booleans, lists) and as strings otherwise; the detector's schema then validates them.
 *
 * Lists are also written the shell's way, `--set hiddenSizes=16,8`: with the option schema, a
 * value for a list option that is not a JSON list becomes one (split at commas, `16` alone is
 * `[16]`); without it, a value with a comma is a list (no option takes a comma in a string).
 */
export function parseSetPairs(pairs: string[], schema?: z.AnyZodObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const shape = (schema?.shape ?? {}) as Record<string, z.ZodTypeAny>;
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value, got '${p}'`);
    const key = p.slice(0, eq).trim();
    const raw = p.slice(eq + 1).trim();
    const value = jsonOrText(raw);
    const list = schema ? wantsList(shape[key]) : typeof value === 'string' && raw.includes(',');
    out[key] = list && !Array.isArray(value) ? listOf(raw) : value;
  }
  return out;
}

function jsonOrText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** "16, 8" -> [16, 8]; "[16,8]" is JSON already and never gets here. */
function listOf(raw: string): unknown[] {
  return raw === '' ? [] : raw.split(',').map((s) => jsonOrText(s.trim()));
}

function wantsList(t: z.ZodTypeAny | undefined): boolean {
  for (;;) {
    if (t instanceof z.ZodDefault || t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t._def.innerType as z.ZodTypeAny;
    else if (t instanceof z.ZodEffects) t = t._def.schema as z.ZodTypeAny;
    else return t instanceof z.ZodArray;
  }
}
