/**
 * Event-wise precision, recall and F1, the sequence-level counting of Hundman et al. (2018, KDD,
 * "Detecting Spacecraft Anomalies Using LSTMs and Nonparametric Dynamic Thresholding", its
 * evaluation). Events are the maximal runs of 1s in the labels (true events) and in the predictions
 * (predicted events):
 *
 * - tp: true events with at least one predicted point inside them (each counts once, however
 *   many predictions hit it);
 * - fn: true events with no predicted point inside;
 * - fp: predicted events that overlap no true event (a predicted event overlapping two true
 *   events costs nothing and helps both).
 *
 * precision = tp / (tp + fp), recall = tp / (tp + fn); note tp counts true events while fp
 * counts predicted ones, as in the paper. Each is 0 where its denominator is 0.
 */
import { DataError } from '../core/errors.js';
import { prf } from './metrics.js';
import { toRanges } from './ranges.js';

export interface EventResult {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  trueEvents: number;
  predictedEvents: number;
}

export function eventPRF(labels: ArrayLike<number>, predicted: ArrayLike<number>): EventResult {
  if (labels.length !== predicted.length) throw new DataError(`${labels.length} labels but ${predicted.length} predictions`);
  const truth = toRanges(labels);
  const pred = toRanges(predicted);
  let tp = 0;
  for (const [s, e] of truth) {
    for (let i = s; i <= e; i++) {
      if (predicted[i]) {
        tp++;
        break;
      }
    }
  }
  let fp = 0;
  for (const [s, e] of pred) {
    let hit = false;
    for (let i = s; i <= e && !hit; i++) hit = !!labels[i];
    if (!hit) fp++;
  }
  const fn = truth.length - tp;
  return { ...prf({ tp, fp, fn, tn: 0 }), tp, fp, fn, trueEvents: truth.length, predictedEvents: pred.length };
}
