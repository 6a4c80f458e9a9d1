import { z } from 'zod';
import { Discord } from '../../../stream/detectors/discord/discord.js';
import { defineSeriesDetector } from '../define.js';
import { NO_THRESHOLD, StreamBackedDetector } from './stream-backed.js';

const schema = z.object({
  /** Subsequence length. */
  window: z.number().int().min(1).default(4).describe('Subsequence length.'),
  /** How far back a neighbour may start (bounds memory and time per step); more than `window`. */
  history: z.number().int().min(2).default(10_000).describe('How far back a neighbour may start (bounds memory and time per step); more than `window`.'),
  /** Steps scored 0 at the start: a nearest neighbour among a handful of windows is noise. */
  warmup: z.number().int().min(0).default(100).describe('Steps scored 0 at the start: a nearest neighbour among a handful of windows is noise.'),
});

/**
 * The stream discord run over a series: it learns from every step it scores, so the history of
 * a scored series is that series up to the step (plus nothing from `fit`, which only fixes the
 * channel count, as for the other stream-backed baselines).
 */
export const seriesDiscord = defineSeriesDetector(
  {
    name: 'discord',
    summary: 'per channel RMS distance of the last `window` steps to their nearest earlier non-overlapping match; keeps learning',
    citation: 'left matrix profile / time series discords (Yeh et al. 2016; Zhu et al. 2016, STAMPI), raw (not z-normalised) distance',
    modes: ['unsupervised'],
  },
  schema,
  (o) =>
    new StreamBackedDetector('discord', o, Math.max(o.warmup, 2 * o.window - 1), () =>
      new Discord({ window: o.window, history: o.history, warmup: 0, threshold: NO_THRESHOLD }),
    ),
);
