import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STREAM_OPTION_SCHEMAS } from './option-schemas.js';
import { STREAM_DETECTORS, STREAM_DETECTOR_SUMMARIES, makeStreamDetector } from './registry.js';

test('every stream detector publishes a schema with exactly the options it takes, each described', () => {
  for (const name of STREAM_DETECTORS) {
    const shape = STREAM_OPTION_SCHEMAS[name].shape as Record<string, { description?: string }>;
    assert.deepEqual(Object.keys(shape).sort(), [...STREAM_DETECTOR_SUMMARIES[name].options].sort(), name);
    for (const [k, t] of Object.entries(shape)) assert.ok(t.description && t.description.length > 10, `${name}.${k} has a description`);
    // The schema's defaults are options the detector itself accepts.
    const defaults = STREAM_OPTION_SCHEMAS[name].parse({});
    assert.doesNotThrow(() => makeStreamDetector(name, defaults, {}), name);
  }
});
