/**
 * The time-series metrics beside NAB's own score, at one threshold (rows scoring >= it are
 * detections) over the non-probationary rows, with the labels NAB's windows give (a row is an
 * anomaly when it lies in a window): point-wise precision/recall/F1 (no adjustment), range-based
 * precision/recall (Tatbul et al. 2018, defaults of range-based.ts), event-wise F1 (Hundman et al.
 * 2018) and, only when asked, point-adjusted F1 (optimistic: see point-adjust.ts).
 *
 * Corpus figures pool the files: point and event counts add up; range-based recall is averaged
 * over every real range of the corpus and precision over every predicted range, as if the files
 * were one series with breaks between them.
 */
import { eventPRF } from '../event.js';
import { confusion, prf, type Confusion } from '../metrics.js';
import { pointAdjust } from '../point-adjust.js';
import { rangePrecision, rangeRecall } from '../range-based.js';
import { toRanges } from '../ranges.js';
import { prepareFile, type NabFile } from './windows.js';

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

interface Parts {
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

function parts(file: NabFile, threshold: number, probationPercent?: number): Parts {
  const f = prepareFile(file, probationPercent);
  const from = Math.ceil(f.probation);
  const n = Math.max(0, f.rows - from);
  const labels = new Uint8Array(n);
  const pred = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = f.inWindow[from + i]! >= 0 ? 1 : 0;
    pred[i] = f.scores[from + i]! >= threshold ? 1 : 0;
  }
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

function combine(all: Parts[], adjusted: boolean): RowMetrics {
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

/** Per-file and pooled metrics at `threshold`. */
export function nabRowMetrics(
  files: readonly NabFile[],
  threshold: number,
  o: { pointAdjusted?: boolean; probationPercent?: number } = {},
): { corpus: RowMetrics; files: RowMetrics[] } {
  const all = files.map((f) => parts(f, threshold, o.probationPercent));
  return { corpus: combine(all, !!o.pointAdjusted), files: all.map((p) => combine([p], !!o.pointAdjusted)) };
}
