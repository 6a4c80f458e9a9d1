/** Drift detectors by name, built from plain options (CLI `--drift-set k=v`), and restored from JSON. */
import { FormatError, OptionsError } from '../../core/errors.js';
import { Adwin, type AdwinOptions } from './adwin.js';
import type { DriftDetector } from './drift-detector.js';
import { PageHinkley, type PageHinkleyOptions } from './page-hinkley.js';

export const DRIFT_DETECTORS = ['adwin', 'page-hinkley'] as const;

const KNOWN: Record<string, string[]> = {
  adwin: ['delta', 'clock', 'maxBuckets', 'minWindow', 'gracePeriod'],
  'page-hinkley': ['delta', 'lambda', 'alpha', 'minInstances'],
};

export function makeDriftDetector(name: string, opts: Record<string, unknown> = {}): DriftDetector {
  const keys = KNOWN[name];
  if (!keys) throw new OptionsError(`unknown drift detector '${name}' (known: ${DRIFT_DETECTORS.join(', ')})`);
  for (const [k, v] of Object.entries(opts)) {
    if (!keys.includes(k)) throw new OptionsError(`${name}: unknown option '${k}' (known: ${keys.join(', ')})`);
    if (typeof v !== 'number') throw new OptionsError(`${name}: ${k} must be a number, got ${JSON.stringify(v)}`);
  }
  return name === 'adwin' ? new Adwin(opts as AdwinOptions) : new PageHinkley(opts as PageHinkleyOptions);
}

export function driftFromJSON(state: unknown): DriftDetector {
  const format = (state as { format?: unknown } | null)?.format;
  if (format === 'vigil-adwin') return Adwin.fromJSON(state);
  if (format === 'vigil-page-hinkley') return PageHinkley.fromJSON(state);
  throw new FormatError('not a drift detector state');
}
