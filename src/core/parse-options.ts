import type { z } from 'zod';
import { OptionsError } from './errors.js';

/** Parses untrusted settings with a schema; the first problem becomes a one-line OptionsError naming its field. */
export function parseOptions<S extends z.ZodTypeAny>(schema: S, raw: unknown, what: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new OptionsError(`${what}: ${at}${issue.message}`);
}
