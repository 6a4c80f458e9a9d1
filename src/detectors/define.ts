import { z } from 'zod';
import { OptionsError } from '../core/errors.js';
import type { Detector, DetectorDefinition, DetectorInfo } from './detector.js';

/**
 * Turns a schema and a constructor into a callable detector definition.
 * The schema is strict, so an unknown option is an error that lists the valid ones.
 */
export function defineDetector<S extends z.AnyZodObject>(
  info: DetectorInfo,
  schema: S,
  create: (options: z.output<S>) => Detector,
): DetectorDefinition<S> {
  return defineKind(info, schema, create) as DetectorDefinition<S>;
}

/**
 * The callable both detector kinds share (row-wise here, series in series/define.ts): validates
 * raw options against the strict schema, then builds; the description rides on the function.
 */
export function defineKind<S extends z.AnyZodObject, D>(
  info: DetectorInfo,
  schema: S,
  create: (options: z.output<S>) => D,
): DetectorInfo & { readonly schema: S; (options?: z.input<S>): D } {
  const strict = schema.strict() as unknown as S;
  const def = (options?: z.input<S>) => create(parseOptions(info.name, strict, options ?? {}));
  Object.defineProperties(def, {
    name: { value: info.name },
    family: { value: info.family },
    summary: { value: info.summary },
    citation: { value: info.citation },
    modes: { value: info.modes },
    explains: { value: info.explains === true },
    defaultCutoff: { value: info.defaultCutoff },
    schema: { value: strict },
  });
  return def as unknown as DetectorInfo & { readonly schema: S; (options?: z.input<S>): D };
}

export function parseOptions<S extends z.AnyZodObject>(detector: string, schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const valid = describeOptions(schema);
  const issues = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown option ${i.keys.map((k) => `'${k}'`).join(', ')}`;
    const where = i.path.length ? `'${i.path.join('.')}'` : 'options';
    return `${where}: ${i.message}`;
  });
  throw new OptionsError(`${detector}: ${issues.join('; ')} (valid options: ${valid})`);
}

/** `name (type, default d)` for each option, for error messages and `--help`. */
export function describeOptions(schema: z.AnyZodObject): string {
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>)
    .map(([k, t]) => `${k} (${describeType(t)})`)
    .join(', ');
}

export function describeType(t: z.ZodTypeAny): string {
  let inner = t;
  let dflt: unknown = undefined;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      dflt = inner._def.defaultValue();
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodEffects) {
      inner = inner._def.schema;
    } else break;
  }
  let base: string;
  if (inner instanceof z.ZodEnum) base = (inner.options as string[]).join('|');
  else if (inner instanceof z.ZodNumber) base = inner.isInt ? 'integer' : 'number';
  else if (inner instanceof z.ZodBoolean) base = 'boolean';
  else if (inner instanceof z.ZodString) base = 'string';
  else if (inner instanceof z.ZodArray) base = 'list';
  else base = 'value';
  if (dflt !== undefined) return `${base}, default ${JSON.stringify(dflt)}`;
  return optional ? `${base}, optional` : base;
}
