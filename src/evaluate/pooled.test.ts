import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricParts, poolMetrics } from './pooled.js';

test('pooled metrics add point and event counts and average range figures over all ranges', () => {
  // Series a: one real range [2, 5], predicted [4, 7] (half of it covered); series b: no real range, one false alarm.
  const a = metricParts(Uint8Array.of(0, 0, 1, 1, 1, 1, 0, 0), Uint8Array.of(0, 0, 0, 0, 1, 1, 1, 1));
  const b = metricParts(Uint8Array.of(0, 0, 0, 0), Uint8Array.of(0, 1, 0, 0));
  const m = poolMetrics([a, b], true);
  assert.deepEqual([m.point.tp, m.point.fp, m.point.fn], [2, 3, 2]);
  assert.equal(m.point.precision, 2 / 5);
  assert.deepEqual([m.event.tp, m.event.fp, m.event.fn], [1, 1, 0]);
  assert.equal(m.event.recall, 1);
  assert.equal(m.event.precision, 0.5);
  assert.equal(m.range.recall, 0.5);
  assert.equal(m.range.precision, (0.5 + 0) / 2);
  // Point adjustment credits all of a's range: 4 tp, 3 fp.
  assert.equal(m.pointAdjusted!.recall, 1);
  assert.equal(m.pointAdjusted!.precision, 4 / 7);
  assert.equal(poolMetrics([a], false).pointAdjusted, undefined);
});
