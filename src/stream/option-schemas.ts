/**
 * The stream detectors' options as zod schemas: what `GET /v1/detectors` publishes as JSON Schema,
 * so a form can be generated from them. The detectors check their own options (registry.ts); these
 * describe the same names with the defaults the detectors use, and a test keeps the names equal.
 */
import { z } from 'zod';
import type { STREAM_DETECTORS } from './registry.js';

const window = (d: number, what: string) => z.number().int().min(2).default(d).describe(what);
const count = (d: number, min: number, what: string) => z.number().int().min(min).default(d).describe(what);

export const STREAM_OPTION_SCHEMAS: Record<(typeof STREAM_DETECTORS)[number], z.AnyZodObject> = {
  'rolling-z': z.object({ window: window(100, 'Points the mean and standard deviation cover; also the warm-up.') }),
  'rolling-mad': z.object({ window: window(100, 'Points the median and MAD cover; also the warm-up.') }),
  ewma: z.object({ alpha: z.number().gt(0).max(1).default(0.05).describe('Smoothing weight in (0, 1]; the warm-up is ceil(2/alpha) points.') }),
  discord: z.object({
    window: count(4, 1, 'Subsequence length compared with earlier ones.'),
    history: count(10_000, 2, 'How far back (in points) a neighbour may start; bounds memory.'),
  }),
  htm: z.object({
    resolution: z.number().positive().optional().describe("Encoder bucket width in the values' units (default: from the calibration values)."),
    calibration: count(750, 2, 'Values per channel whose range sets the resolution when none is given.'),
    columns: count(2048, 256, 'Spatial pooler columns; 2% of them are active per point.'),
    cellsPerColumn: count(32, 2, 'Temporal memory cells per column.'),
    maxSegments: count(65_536, 64, 'Most distal segments per channel and member: bounds memory.'),
    ensemble: count(1, 1, 'Independent HTMs per channel whose raw scores are averaged.'),
    seed: z.number().int().default(1956).describe('Seed of the random wiring.'),
  }),
  artime: z.object({
    min: z.number().optional().describe('Expected lowest value, for every channel (give min and max, or neither to learn the range).'),
    max: z.number().optional().describe('Expected highest value, for every channel.'),
    probation: count(750, 2, 'Training values per channel: no score comes before their end.'),
    maxCategories: count(10_000, 2, 'Most memory categories per channel; the one unused longest is forgotten.'),
  }),
};
