/**
 * The detectors as a form needs them: each with its options as JSON Schema (type, bounds, default,
 * description), converted from the zod schemas the detectors validate with, so a new detector
 * appears in the dashboard without dashboard code. `stream`: what can score a stream as it comes
 * (the stream detectors, and the series detectors learning online); `train`: what a training job
 * fits (series and tabular detectors).
 */
import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { listDetectors } from '../../../detectors/registry.js';
import { seriesDetectors } from '../../../detectors/series/index.js';
import { STREAM_OPTION_SCHEMAS } from '../../../stream/option-schemas.js';
import { STREAM_DETECTORS, STREAM_DETECTOR_SUMMARIES } from '../../../stream/registry.js';

export const detectorUse = z.enum(['stream', 'train']);

export const detectorEntry = z.object({
  name: z.string(),
  kind: z.enum(['stream', 'series', 'tabular']).describe('stream: learns point by point; series: a time-series model; tabular: a row model'),
  summary: z.string(),
  options: z.array(z.string()),
  modes: z.array(z.string()).describe('unsupervised, semi-supervised or supervised (supervised ones need a label column)'),
  schema: z.record(z.unknown()).describe("the options as a JSON Schema object (draft-07): each property's type, bounds, default and description"),
});
export const detectorList = z.object({ detectors: z.array(detectorEntry) });
export type DetectorEntry = z.infer<typeof detectorEntry>;

function jsonSchema(schema: z.AnyZodObject): Record<string, unknown> {
  // Defaults are what the detector uses when the option is left out, so nothing is required.
  const { $schema: _s, ...out } = zodToJsonSchema(schema, { $refStrategy: 'none', effectStrategy: 'input' }) as Record<string, unknown>;
  delete out['required'];
  return out;
}

const entry = (name: string, kind: DetectorEntry['kind'], summary: string, modes: readonly string[], schema: z.AnyZodObject): DetectorEntry => ({
  name,
  kind,
  summary,
  options: Object.keys(schema.shape),
  modes: [...modes],
  schema: jsonSchema(schema),
});

const stream = STREAM_DETECTORS.map((name) => entry(name, 'stream', STREAM_DETECTOR_SUMMARIES[name].summary, ['unsupervised'], STREAM_OPTION_SCHEMAS[name]));
const series = seriesDetectors.map((d) => entry(d.name, 'series', d.summary, d.modes, d.schema));
const tabular = listDetectors().map((d) => entry(d.name, 'tabular', d.summary, d.modes, d.schema));
const streamNames = new Set<string>(STREAM_DETECTORS);

/** Built once: the registries do not change while the service runs. */
export const CATALOGUE: Record<z.infer<typeof detectorUse>, DetectorEntry[]> = {
  // A series detector named like a stream detector is the stream detector when it scores a stream.
  stream: [...stream, ...series.filter((d) => !streamNames.has(d.name))],
  train: [...series, ...tabular],
};
