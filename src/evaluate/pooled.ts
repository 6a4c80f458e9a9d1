/**
 * Point-wise, range-based and event-wise figures for many series at once (files, channels), each
 * series judged on its own and the results pooled: point and event counts add up; range-based
 * recall is averaged over every real range of all the series and precision over every predicted
 * range, as if the series were one with breaks between them. Point-adjusted F1 (optimistic: see
 * point-adjust.ts) only when asked for.
 */
import { eventPRF } from './event.js';
import { confusion, prf, type Confusion } from './metrics.js';
import { pointAdjust } from './point-adjust.js';
import { rangePrecision, rangeRecall } from './range-based.js';
import { toRanges } from './ranges.js';

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

export interface RowMetrics {
  point: PRF & Confusion;
  range: PRF & { realRanges: number; predictedRanges: number };
  event: PRF & { tp: number; fp: number; fn: number };
  /** Point-adjusted (optimistic); only when asked for. */
  pointAdjusted?: PRF;
}

/** One series' counts, to pool with others'. */
export interface MetricParts {
  point: Confusion;
  adjusted: Confusion;
  recallSum: number;
  real: number;
  precisionSum: number;
  predicted: number;
  event: { tp: number; fp: number; fn: number };
}

function f1(p: number, r: number): number {
  return p + r ? (2 * p * r) / (p + r) : 0;
}

/** The counts of one series: 0/1 labels and 0/1 predictions, one per step. */
export function metricParts(labels: Uint8Array, pred: Uint8Array): MetricParts {
  const real = toRanges(labels);
  const predicted = toRanges(pred);
  const e = eventPRF(labels, pred);
  return {
    point: confusion(labels, pred),
    adjusted: confusion(labels, pointAdjust(labels, pred)),
    recallSum: rangeRecall(real, predicted) * real.length,
    real: real.length,
    precisionSum: rangePrecision(real, predicted) * predicted.length,
    predicted: predicted.length,
    event: { tp: e.tp, fp: e.fp, fn: e.fn },
  };
}

/** Pooled figures of several series. */
export function poolMetrics(all: readonly MetricParts[], adjusted: boolean): RowMetrics {
  const add = (a: Confusion, b: Confusion): Confusion => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, tn: a.tn + b.tn, fn: a.fn + b.fn });
  const zero: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const point = all.reduce((c, p) => add(c, p.point), zero);
  const adj = all.reduce((c, p) => add(c, p.adjusted), zero);
  const real = all.reduce((s, p) => s + p.real, 0);
  const predicted = all.reduce((s, p) => s + p.predicted, 0);
  const rr = real ? all.reduce((s, p) => s + p.recallSum, 0) / real : 0;
  const rp = predicted ? all.reduce((s, p) => s + p.precisionSum, 0) / predicted : 0;
  const ev = all.reduce((s, p) => ({ tp: s.tp + p.event.tp, fp: s.fp + p.event.fp, fn: s.fn + p.event.fn }), { tp: 0, fp: 0, fn: 0 });
  const out: RowMetrics = {
    point: { ...point, ...prf(point) },
    range: { precision: rp, recall: rr, f1: f1(rp, rr), realRanges: real, predictedRanges: predicted },
    event: { ...ev, ...prf({ ...ev, tn: 0 }) },
  };
  if (adjusted) out.pointAdjusted = prf(adj);
  return out;
}

