import { parseSetPairs } from '../set-options.js';
import { UsageError } from '../usage-error.js';

/**
 * `--set` pairs of a bench run over several detectors: `key=value` goes to every detector run,
 * `name.key=value` to detector `name` only (and wins over the shared form). Option keys hold no
 * dot, so the first dot separates a detector's name. Each detector's schema validates the result.
 */
export function detectorSets(pairs: string[], detectors: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = Object.fromEntries(detectors.map((d) => [d, {}]));
  const shared: string[] = [];
  const targeted: [string, string][] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const dot = p.indexOf('.');
    if (dot > 0 && (eq < 0 || dot < eq)) {
      const name = p.slice(0, dot).trim();
      if (!detectors.includes(name)) throw new UsageError(`--set names '${name}', which is not among the detectors run (${detectors.join(', ')})`);
      targeted.push([name, p.slice(dot + 1)]);
    } else {
      shared.push(p);
    }
  }
  const common = parseSetPairs(shared);
  for (const d of detectors) Object.assign(out[d]!, common);
  for (const [name, pair] of targeted) Object.assign(out[name]!, parseSetPairs([pair]));
  return out;
}
