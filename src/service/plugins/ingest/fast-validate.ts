/**
 * A fast path in front of the ingest body's zod schema (schemas.ts), which stays the contract:
 * the OpenAPI document and every error message come from it. Zod copies each point into new
 * objects, which at 1,000 points a request is a good part of the request's time and garbage;
 * this checks the parsed JSON in place. What it accepts, the schema accepts with an equal value
 * (fast-validate.test.ts checks it over generated bodies, valid and not); a body it does not
 * accept goes to the schema, which accepts it or names the first bad point and field.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { timeSchema } from '../common/schemas.js';
import { ingestBody, MAX_POINTS_PER_REQUEST } from './schemas.js';

type IngestBody = z.output<typeof ingestBody>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function goodValues(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  let n = 0;
  for (const k in v) {
    if (!isFinite(v[k])) return false;
    n++;
  }
  return n >= 1 && n <= 100;
}

/** Whether the point is one the schema accepts; an ISO `t` is checked by the schema's own time rule. */
function goodPoint(p: unknown): boolean {
  if (!isPlainObject(p)) return false;
  let t: unknown, key: unknown, value: unknown, values: unknown;
  for (const k in p) {
    if (k === 't') t = p[k];
    else if (k === 'key') key = p[k];
    else if (k === 'value') value = p[k];
    else if (k === 'values') values = p[k];
    else return false;
  }
  if (!isFinite(t) && !(typeof t === 'string' && timeSchema.safeParse(t).success)) return false;
  if (key !== undefined && (typeof key !== 'string' || key.length > 200)) return false;
  if (value !== undefined) return values === undefined && isFinite(value);
  return goodValues(values);
}

/** The body as the schema would give it (ISO times read as epoch ms), or null where only the schema can tell. */
export function fastIngestBody(data: unknown): IngestBody | null {
  if (!isPlainObject(data)) return null;
  for (const k in data) if (k !== 'points') return null;
  const points = data['points'];
  if (!Array.isArray(points) || points.length < 1 || points.length > MAX_POINTS_PER_REQUEST) return null;
  let iso = false;
  for (const p of points) {
    if (!goodPoint(p)) return null;
    if (typeof (p as { t: unknown }).t === 'string') iso = true;
  }
  // Only once every point passed, so a refused body reaches the schema as it came.
  if (iso) for (const p of points as { t: number | string }[]) if (typeof p.t === 'string') p.t = timeSchema.parse(p.t);
  return data as IngestBody;
}

/** The ingest routes' validator compiler: for a body, the fast path, else the schema (through the type provider's compiler, for its error shape). */
export const ingestValidatorCompiler: FastifySchemaCompiler<z.ZodTypeAny> = (route) => {
  const bySchema = validatorCompiler(route);
  if (route.httpPart !== 'body') return bySchema;
  return (data) => {
    const fast = fastIngestBody(data);
    return fast ? { value: fast } : bySchema(data);
  };
};
