import { z } from 'zod';
import { EwmaDetector } from '../../../stream/detectors/ewma/ewma.js';
import { RollingMad } from '../../../stream/detectors/rolling-mad/rolling-mad.js';
import { RollingZ } from '../../../stream/detectors/rolling-z/rolling-z.js';
import { defineSeriesDetector } from '../define.js';
import { NO_THRESHOLD, StreamBackedDetector } from './stream-backed.js';

const windowSchema = z.object({
  /** Past steps the statistics cover; also the warm-up. */
  window: z.number().int().min(2).default(100).describe('Past steps the statistics cover; also the warm-up.'),
});

export const seriesRollingZ = defineSeriesDetector(
  {
    name: 'rolling-z',
    summary: 'per channel |x - mean| / sd of the previous `window` steps; joint score = max over channels',
    citation: 'the classical z-score over a trailing window (e.g. NAB windowedGaussian, Lavin & Ahmad 2015)',
    modes: ['unsupervised'],
  },
  windowSchema,
  (o) => new StreamBackedDetector('rolling-z', o, o.window, () => new RollingZ({ window: o.window, warmup: 0, threshold: NO_THRESHOLD })),
);

export const seriesRollingMad = defineSeriesDetector(
  {
    name: 'rolling-mad',
    summary: 'per channel |x - median| / (1.4826 MAD) of the previous `window` steps; joint score = max over channels',
    citation: 'Hampel filter / modified z-score (Iglewicz & Hoaglin 1993) over a trailing window',
    modes: ['unsupervised'],
  },
  windowSchema,
  (o) => new StreamBackedDetector('rolling-mad', o, o.window, () => new RollingMad({ window: o.window, warmup: 0, threshold: NO_THRESHOLD })),
);

const ewmaSchema = z.object({
  /** Smoothing weight α in (0, 1]; the warm-up is ceil(2/α) steps. */
  alpha: z.number().gt(0).max(1).default(0.05).describe('Smoothing weight α in (0, 1]; the warm-up is ceil(2/α) steps.'),
});

export const seriesEwma = defineSeriesDetector(
  {
    name: 'ewma',
    summary: 'per channel |x - m| / s against an exponentially weighted mean and variance of the past; joint score = max',
    citation: 'EWMA control chart (Roberts 1959) with the incremental variance of West (1979)',
    modes: ['unsupervised'],
  },
  ewmaSchema,
  (o) =>
    new StreamBackedDetector('ewma', o, Math.ceil(2 / o.alpha), () => new EwmaDetector({ alpha: o.alpha, warmup: 0, threshold: NO_THRESHOLD })),
);
