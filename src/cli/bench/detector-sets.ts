import { parseSetPairs } from '../set-options.js';
import { UsageError } from '../usage-error.js';

/**
 * `--set` pairs of a bench run over one or more detectors: `name.key=value` goes to detector `name`
 * only and wins over the unqualified form. An unqualified `key=value` goes to every detector run
 * (`unqualified: 'every'`, as `bench images` compares detectors under the same settings) or, with
 * `'single'`, is allowed only when one detector runs (`bench nab`/`smap` combine detectors whose
 * options mean different things). Option keys hold no dot, so the first dot of a key separates a
 * detector's name. Each detector's schema validates the result.
 */
export function detectorSets(pairs: string[], detectors: string[], unqualified: 'every' | 'single' = 'every'): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = Object.fromEntries(detectors.map((d) => [d, {}]));
  const shared: Record<string, unknown> = {};
  const targeted: [string, string, unknown][] = [];
  for (const [key, value] of Object.entries(parseSetPairs(pairs))) {
    const dot = key.indexOf('.');
    if (dot <= 0) {
      if (unqualified === 'single' && detectors.length > 1) throw new UsageError(`--set ${key}: with several detectors name the one it is for, as detector.${key}`);
      shared[key] = value;
      continue;
    }
    const name = key.slice(0, dot);
    if (!detectors.includes(name)) throw new UsageError(`--set ${key}: '${name}' is not one of the detectors run (${detectors.join(', ')})`);
    targeted.push([name, key.slice(dot + 1), value]);
  }
  for (const d of detectors) Object.assign(out[d]!, shared);
  for (const [name, key, value] of targeted) out[name]![key] = value;
  return out;
}
