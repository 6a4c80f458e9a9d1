import type { z } from 'zod';
import { parseOptions } from '../define.js';
import type { DetectorInfo } from '../detector.js';
import type { SeriesDetector, SeriesDetectorDefinition } from './series-detector.js';

/** As `defineDetector`, for series detectors: strict options, validated on construction. */
export function defineSeriesDetector<S extends z.AnyZodObject>(
  info: Omit<DetectorInfo, 'family'>,
  schema: S,
  create: (options: z.output<S>) => SeriesDetector,
): SeriesDetectorDefinition<S> {
  const strict = schema.strict() as unknown as S;
  const def = ((options?: z.input<S>) => create(parseOptions(info.name, strict, options ?? {}))) as SeriesDetectorDefinition<S>;
  Object.defineProperties(def, {
    name: { value: info.name },
    family: { value: 'series' },
    summary: { value: info.summary },
    citation: { value: info.citation },
    modes: { value: info.modes },
    schema: { value: strict },
  });
  return def;
}
