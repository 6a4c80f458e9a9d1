import type { z } from 'zod';
import { defineKind } from '../define.js';
import type { DetectorInfo } from '../detector.js';
import type { SeriesDetector, SeriesDetectorDefinition } from './series-detector.js';

/** As `defineDetector`, for series detectors: strict options, validated on construction. */
export function defineSeriesDetector<S extends z.AnyZodObject>(
  info: Omit<DetectorInfo, 'family'>,
  schema: S,
  create: (options: z.output<S>) => SeriesDetector,
): SeriesDetectorDefinition<S> {
  return defineKind({ ...info, family: 'series' }, schema, create) as SeriesDetectorDefinition<S>;
}
