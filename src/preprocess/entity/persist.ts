/**
 * An entity state as plain data for the model file: small facts as JSON, the histories as flat
 * arrays (strings, which the file's arrays cannot hold, as UTF-8 JSON bytes). Only the events some
 * window still holds are kept: older ones can never count again. Running sums are saved as they
 * are, not recomputed, so a restored state continues bit for bit as the original would.
 */
import { z } from 'zod';
import { FormatError } from '../../core/errors.js';
import { History } from './history.js';
import { EntityState, type EntityLayout } from './state.js';

export const entityStateJsonSchema = z
  .object({
    version: z.literal(1),
    layout: z
      .object({
        keys: z.array(z.string()).min(1),
        time: z.string(),
        windows: z.array(z.string()).min(1),
        windowSeconds: z.array(z.number().positive()).min(1),
        values: z.array(z.string()),
        distinct: z.array(z.string()),
        maxEntities: z.number().int().min(1),
        maxEventsPerEntity: z.number().int().min(1),
        timeUnit: z.enum(['s', 'ms']),
      })
      .strict()
      .refine((l) => l.windows.length === l.windowSeconds.length, 'windows and windowSeconds differ in length'),
    /** null before the first row (JSON has no -Infinity). */
    clock: z.number().nullable(),
    rowsSeen: z.number().int().min(0),
    evicted: z.array(z.number().int().min(0)),
  })
  .strict();
export type EntityStateJson = z.infer<typeof entityStateJsonSchema>;

export type EntityArrays = Record<string, Float64Array | Uint8Array>;

/** Per entity: last time, then per window its event count, sums and valid counts, then per value n, mean, M2. */
function recordLength(l: EntityLayout): number {
  const W = l.windows.length;
  const V = l.values.length;
  return 1 + W + 2 * W * V + 3 * V;
}

export function saveEntityState(s: EntityState): { json: EntityStateJson; arrays: EntityArrays } {
  const l = s.layout;
  const W = l.windows.length;
  const V = l.values.length;
  const D = l.distinct.length;
  const R = recordLength(l);
  const arrays: EntityArrays = {};
  s.entities.forEach((map, k) => {
    const ids = [...map.keys()];
    const rec = new Float64Array(ids.length * R);
    const times: number[] = [];
    const vals: number[] = [];
    const tokens: (string | null)[] = [];
    ids.forEach((id, e) => {
      const h = map.get(id)!;
      let o = e * R;
      rec[o++] = h.last;
      for (let w = 0; w < W; w++) rec[o++] = h.end - h.wStart[w]!;
      for (let j = 0; j < W * V; j++) rec[o++] = h.sums[j]!;
      for (let j = 0; j < W * V; j++) rec[o++] = h.valid[j]!;
      for (let v = 0; v < V; v++) {
        rec[o++] = h.n[v]!;
        rec[o++] = h.mu[v]!;
        rec[o++] = h.m2[v]!;
      }
      const from = h.firstNeeded;
      for (let i = from; i < h.end; i++) {
        const ev = h.event(i);
        times.push(ev.t);
        for (let v = 0; v < V; v++) vals.push(ev.x[v]!);
        for (let d = 0; d < D; d++) tokens.push(ev.tokens[d] ?? null);
      }
    });
    arrays[`${k}/ids`] = utf8(ids);
    arrays[`${k}/records`] = rec;
    arrays[`${k}/times`] = Float64Array.from(times);
    arrays[`${k}/values`] = Float64Array.from(vals);
    arrays[`${k}/tokens`] = utf8(tokens);
  });
  const json: EntityStateJson = {
    version: 1,
    layout: { ...l, keys: [...l.keys], windows: [...l.windows], windowSeconds: [...l.windowSeconds], values: [...l.values], distinct: [...l.distinct] },
    clock: Number.isFinite(s.clock) ? s.clock : null,
    rowsSeen: s.rowsSeen,
    evicted: [...s.evicted],
  };
  return { json, arrays };
}

export function loadEntityState(json: unknown, arrays: Record<string, unknown>): EntityState {
  const p = entityStateJsonSchema.safeParse(json);
  if (!p.success) throw new FormatError(`model file entity state is invalid: ${p.error.issues[0]?.message ?? 'unknown'}`);
  const l = p.data.layout;
  const W = l.windows.length;
  const V = l.values.length;
  const D = l.distinct.length;
  const R = recordLength(l);
  const state = new EntityState(l);
  const bad = (what: string): FormatError => new FormatError(`model file entity state is invalid: ${what}`);
  l.keys.forEach((_, k) => {
    const ids = strings(arrays[`${k}/ids`], `${k}/ids`);
    const rec = arrays[`${k}/records`];
    const times = arrays[`${k}/times`];
    const vals = arrays[`${k}/values`];
    const tokens = strings(arrays[`${k}/tokens`], `${k}/tokens`);
    if (!(rec instanceof Float64Array) || !(times instanceof Float64Array) || !(vals instanceof Float64Array)) throw bad(`key ${k} arrays are missing`);
    if (rec.length !== ids.length * R || vals.length !== times.length * V || tokens.length !== times.length * D) throw bad(`key ${k} arrays disagree in length`);
    const map = state.entities[k]!;
    let ev = 0;
    ids.forEach((id, e) => {
      if (typeof id !== 'string') throw bad(`key ${k} has an id that is not text`);
      const base = e * R;
      const counts = Array.from({ length: W }, (_, w) => rec[base + 1 + w]!);
      const kept = W ? Math.max(...counts) : 0;
      if (!counts.every((c) => Number.isInteger(c) && c >= 0) || kept > l.maxEventsPerEntity || ev + kept > times.length) throw bad(`key ${k} entity ${e} has a bad event count`);
      const h = new History(state.shape, Math.max(1, kept));
      h.last = rec[base]!;
      let o = base + 1 + W;
      for (let j = 0; j < W * V; j++) h.sums[j] = rec[o++]!;
      for (let j = 0; j < W * V; j++) h.valid[j] = rec[o++]!;
      for (let v = 0; v < V; v++) {
        h.n[v] = rec[o++]!;
        h.mu[v] = rec[o++]!;
        h.m2[v] = rec[o++]!;
      }
      for (let i = 0; i < kept; i++, ev++) {
        h.times[i] = times[ev]!;
        for (let v = 0; v < V; v++) h.vals[i * V + v] = vals[ev * V + v]!;
        for (let d = 0; d < D; d++) h.tokens[i * D + d] = tokens[ev * D + d] ?? null;
      }
      h.end = kept;
      for (let w = 0; w < W; w++) h.wStart[w] = kept - counts[w]!;
      // The window maps are integer counts of the kept events: rebuilt, they are exact.
      for (let w = 0; w < W; w++) {
        for (let i = h.wStart[w]!; i < kept; i++) {
          for (let d = 0; d < D; d++) {
            const tok = h.tokens[i * D + d];
            if (tok === null || tok === undefined) continue;
            const m = h.seen[w * D + d]!;
            m.set(tok, (m.get(tok) ?? 0) + 1);
          }
        }
      }
      map.set(id, h);
    });
    if (ev !== times.length) throw bad(`key ${k} has events no entity owns`);
  });
  state.clock = p.data.clock ?? -Infinity;
  state.rowsSeen = p.data.rowsSeen;
  p.data.evicted.forEach((n, k) => (state.evicted[k] = n));
  return state;
}

function utf8(xs: readonly (string | null)[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(xs));
}

function strings(a: unknown, name: string): (string | null)[] {
  if (!(a instanceof Uint8Array)) throw new FormatError(`model file entity state is invalid: array '${name}' is missing`);
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(a));
  } catch {
    throw new FormatError(`model file entity state is invalid: array '${name}' is not JSON`);
  }
  if (!Array.isArray(v) || !v.every((x) => x === null || typeof x === 'string')) throw new FormatError(`model file entity state is invalid: array '${name}' is not a list of texts`);
  return v as (string | null)[];
}

/** A state as plain JSON (for a stream's checkpoint): the arrays as lists, NaN as null, texts decoded. */
export function entityStateToJson(s: EntityState): { state: EntityStateJson; arrays: Record<string, (number | null)[] | string> } {
  const { json, arrays } = saveEntityState(s);
  const out: Record<string, (number | null)[] | string> = {};
  for (const [k, a] of Object.entries(arrays)) out[k] = a instanceof Float64Array ? Array.from(a, (v) => (Number.isNaN(v) ? null : v)) : new TextDecoder().decode(a);
  return { state: json, arrays: out };
}

/** The state entityStateToJson wrote; anything malformed is a FormatError. */
export function entityStateFromJson(v: unknown): EntityState {
  const o = v as { state?: unknown; arrays?: unknown };
  if (!o || typeof o !== 'object' || !o.arrays || typeof o.arrays !== 'object') throw new FormatError('entity state: not an object {state, arrays}');
  const arrays: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(o.arrays as Record<string, unknown>)) {
    if (typeof a === 'string') arrays[k] = new TextEncoder().encode(a);
    else if (Array.isArray(a) && a.every((x) => x === null || typeof x === 'number')) arrays[k] = Float64Array.from(a, (x) => (x === null ? NaN : (x as number)));
    else throw new FormatError(`entity state: array '${k}' is malformed`);
  }
  return loadEntityState(o.state, arrays);
}
