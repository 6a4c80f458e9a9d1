import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventPRF } from './event.js';

test('event-wise counts: any hit detects a true event; predicted events touching no true event are false positives', () => {
  // true events: [1,3], [6,7], [10,10]; predicted events: [2,3], [8,8], [10,11], [13,13]
  const labels = [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0];
  const preds = [0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1];
  const r = eventPRF(labels, preds);
  // detected: [1,3] and [10,10]; missed: [6,7]. False: [8,8] and [13,13]; [10,11] overlaps a true event.
  assert.equal(r.tp, 2);
  assert.equal(r.fn, 1);
  assert.equal(r.fp, 2);
  assert.equal(r.trueEvents, 3);
  assert.equal(r.predictedEvents, 4);
  assert.equal(r.precision, 0.5);
  assert.equal(r.recall, 2 / 3);
  assert.ok(Math.abs(r.f1 - 4 / 7) < 1e-12);
});

test('a true event hit many times counts once; nothing predicted scores 0', () => {
  assert.deepEqual(
    { ...eventPRF([1, 1, 1, 1], [1, 0, 1, 0]) },
    { precision: 1, recall: 1, f1: 1, tp: 1, fp: 0, fn: 0, trueEvents: 1, predictedEvents: 2 },
  );
  const none = eventPRF([0, 1, 0], [0, 0, 0]);
  assert.equal(none.precision, 0);
  assert.equal(none.recall, 0);
});
