/**
 * Fields generated from a detector's JSON Schema (GET /v1/detectors): one input per option with
 * its type, bounds, default and description, so a new detector needs no dashboard code. Empty
 * fields are left out of the options, and the detector's default applies.
 */
export interface PropertySchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: PropertySchema;
}

export interface DetectorEntry {
  name: string;
  kind: 'stream' | 'series' | 'tabular';
  summary: string;
  options: string[];
  modes: string[];
  schema: { properties?: Record<string, PropertySchema> };
}

export type RawOptions = Record<string, string>;

function bounds(p: PropertySchema): string {
  const lo = p.minimum ?? p.exclusiveMinimum;
  const hi = p.maximum ?? p.exclusiveMaximum;
  const parts = [];
  if (lo !== undefined) parts.push(`${p.exclusiveMinimum !== undefined ? '>' : '≥'} ${lo}`);
  if (hi !== undefined) parts.push(`${p.exclusiveMaximum !== undefined ? '<' : '≤'} ${hi}`);
  return parts.join(', ');
}

const typeOf = (p: PropertySchema): string => (p.enum ? 'one of the list' : p.type === 'array' ? `list of ${p.items?.type ?? 'values'}, comma separated` : (p.type ?? 'value'));

/** The options as the API takes them: numbers, booleans and lists parsed; an unparsable number is an error in words. */
export function toOptions(d: DetectorEntry, raw: RawOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(d.schema.properties ?? {})) {
    const v = (raw[k] ?? '').trim();
    if (v === '') continue;
    const t = p.type === 'array' ? p.items?.type : p.type;
    const one = (s: string): unknown => {
      if (t === 'number' || t === 'integer') {
        const n = Number(s);
        if (!Number.isFinite(n)) throw new Error(`${k}: '${s}' is not a number`);
        return n;
      }
      if (t === 'boolean') return s === 'true';
      return s;
    };
    out[k] = p.type === 'array' ? v.split(',').map((s) => one(s.trim())) : one(v);
  }
  return out;
}

export function OptionFields({ detector, values, onChange, idPrefix }: { detector: DetectorEntry; values: RawOptions; onChange: (v: RawOptions) => void; idPrefix: string }) {
  const props = Object.entries(detector.schema.properties ?? {});
  if (!props.length) return <p class="hint">{detector.name} takes no options.</p>;
  return (
    <div class="options">
      {props.map(([k, p]) => {
        const id = `${idPrefix}-${detector.name}-${k}`;
        const hint = [typeOf(p), bounds(p), p.default !== undefined ? `default ${JSON.stringify(p.default)}` : 'no default: unset unless given'].filter(Boolean).join(' · ');
        const set = (v: string): void => onChange({ ...values, [k]: v });
        return (
          <div class="field" key={id}>
            <label for={id}>{k}</label>
            {p.enum || p.type === 'boolean' ? (
              <select id={id} value={values[k] ?? ''} onChange={(e) => set((e.target as HTMLSelectElement).value)} aria-describedby={`${id}-d`}>
                <option value="">default{p.default !== undefined ? ` (${String(p.default)})` : ''}</option>
                {(p.enum ?? ['true', 'false']).map((o) => (
                  <option value={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                inputMode={p.type === 'number' || p.type === 'integer' ? 'decimal' : undefined}
                placeholder={p.default !== undefined ? String(p.default) : ''}
                value={values[k] ?? ''}
                onInput={(e) => set((e.target as HTMLInputElement).value)}
                aria-describedby={`${id}-d`}
              />
            )}
            <p class="hint" id={`${id}-d`}>
              {p.description ? `${p.description} ` : ''}
              <span class="type">({hint})</span>
            </p>
          </div>
        );
      })}
    </div>
  );
}
