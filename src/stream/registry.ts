/** Stream detectors by name, built from plain options (CLI `--set k=v`). */
import { FormatError, OptionsError } from '../core/errors.js';
import type { StreamCommonOptions, StreamDetector } from './stream-detector.js';
import { RollingZ } from './detectors/rolling-z/rolling-z.js';
import { EwmaDetector } from './detectors/ewma/ewma.js';
import { RollingMad } from './detectors/rolling-mad/rolling-mad.js';
import { Discord } from './detectors/discord/discord.js';
import { Htm } from './detectors/htm/htm.js';
import { ARTIME_NAB_THRESHOLD, Artime } from './detectors/artime/artime.js';

export const STREAM_DETECTORS = ['rolling-z', 'rolling-mad', 'ewma', 'discord', 'htm', 'artime'] as const;

/**
 * One line each and the options each takes, for `vigil detectors` and for checking option names;
 * `benchPoints` caps the points `vigil bench stream` runs where a step costs more than O(1) (the
 * discord searches 10,000 lags, the HTM updates thousands of synapses), so a run takes seconds, not
 * minutes; the rate is per point either way. `fixed` is a fixed threshold on the detector's own
 * scale (default 4, a z); `evt: false` marks scores no EVT threshold can fit.
 */
export const STREAM_DETECTOR_SUMMARIES: Record<
  (typeof STREAM_DETECTORS)[number],
  { summary: string; options: readonly string[]; benchPoints?: number; fixed?: number; evt?: false }
> = {
  'rolling-z': { summary: 'per channel z-score against the last `window` points, learned point by point', options: ['window'] },
  'rolling-mad': { summary: 'per channel robust z-score (median, MAD) over the last `window` points', options: ['window'] },
  ewma: { summary: 'per channel z-score against an exponentially weighted mean and variance', options: ['alpha'] },
  discord: { summary: 'per channel distance of the last `window` values to their nearest earlier match (left matrix profile)', options: ['window', 'history'], benchPoints: 100_000 },
  htm: {
    summary: "per channel share of a hierarchical temporal memory's active columns it did not predict (Numenta's NAB detector)",
    options: ['resolution', 'calibration', 'columns', 'cellsPerColumn', 'maxSegments', 'ensemble', 'seed'],
    benchPoints: 5_000,
  },
  artime: {
    summary: "per channel ARTime (adaptive resonance over wavelet features of downsampled windows): a window unlike any known scores its novelty",
    options: ['min', 'max', 'probation', 'maxCategories'],
    benchPoints: 200_000,
    fixed: ARTIME_NAB_THRESHOLD,
    evt: false,
  },
};

function num(opts: Record<string, unknown>, key: string): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new OptionsError(`${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function makeStreamDetector(name: string, opts: Record<string, unknown>, common: StreamCommonOptions): StreamDetector {
  const keys = (STREAM_DETECTORS as readonly string[]).includes(name) ? STREAM_DETECTOR_SUMMARIES[name as (typeof STREAM_DETECTORS)[number]].options : undefined;
  if (!keys) throw new OptionsError(`unknown stream detector '${name}' (known: ${STREAM_DETECTORS.join(', ')})`);
  for (const k of Object.keys(opts)) if (!keys.includes(k)) throw new OptionsError(`${name}: unknown option '${k}' (known: ${keys.join(', ')})`);
  if (name === 'rolling-z') return new RollingZ({ ...common, window: num(opts, 'window') });
  if (name === 'rolling-mad') return new RollingMad({ ...common, window: num(opts, 'window') });
  if (name === 'discord') return new Discord({ ...common, window: num(opts, 'window'), history: num(opts, 'history') });
  if (name === 'htm') {
    const [resolution, calibration, columns, cellsPerColumn, maxSegments, ensemble, seed] = STREAM_DETECTOR_SUMMARIES.htm.options.map((k) => num(opts, k));
    return new Htm({ ...common, resolution, calibration, columns, cellsPerColumn, maxSegments, ensemble, seed });
  }
  if (name === 'artime') {
    const [min, max, probation, maxCategories] = STREAM_DETECTOR_SUMMARIES.artime.options.map((k) => num(opts, k));
    return new Artime({ ...common, min, max, probation, maxCategories });
  }
  return new EwmaDetector({ ...common, alpha: num(opts, 'alpha') });
}

const RESTORE: Record<(typeof STREAM_DETECTORS)[number], (state: unknown) => StreamDetector> = {
  'rolling-z': (s) => RollingZ.fromJSON(s),
  'rolling-mad': (s) => RollingMad.fromJSON(s),
  ewma: (s) => EwmaDetector.fromJSON(s),
  discord: (s) => Discord.fromJSON(s),
  htm: (s) => Htm.fromJSON(s),
  artime: (s) => Artime.fromJSON(s),
};

/** A stream detector from its `toJSON()`, by the name in it; it goes on exactly as the saved one would. */
export function streamDetectorFromJSON(state: unknown): StreamDetector {
  const name = (state as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || !(name in RESTORE)) throw new FormatError('not a stream detector state');
  return RESTORE[name as (typeof STREAM_DETECTORS)[number]](state);
}
