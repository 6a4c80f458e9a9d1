import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectorNames } from '../registry.js';
import { createSeriesDetector, findSeriesDetector, seriesDetectorNames } from './registry.js';

test('series and tabular detector names never clash, so a name alone picks the fit path', () => {
  const tabular = new Set(detectorNames());
  assert.ok(seriesDetectorNames().length > 0);
  for (const n of seriesDetectorNames()) assert.ok(!tabular.has(n), `'${n}' is both a series and a tabular detector`);
  assert.equal(findSeriesDetector('zscore'), undefined);
});

test('createSeriesDetector validates options and names the available detectors', () => {
  assert.equal(createSeriesDetector('rolling-z', { window: 5 }).context, 5);
  assert.throws(() => createSeriesDetector('nope'), /unknown series detector 'nope' \(available: .*rolling-z/);
  assert.throws(() => createSeriesDetector('rolling-z', { windw: 5 }));
});
