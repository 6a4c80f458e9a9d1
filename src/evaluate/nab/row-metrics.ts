/**
 * The time-series metrics beside NAB's own score, at one threshold (rows scoring >= it are
 * detections) over the non-probationary rows, with the labels NAB's windows give (a row is an
 * anomaly when it lies in a window): point-wise, range-based (Tatbul et al. 2018), event-wise
 * (Hundman et al. 2018) and, only when asked, point-adjusted; files pooled as in ../pooled.ts.
 */
import { metricParts, poolMetrics, type RowMetrics } from '../pooled.js';
import { prepareFile, type NabFile } from './windows.js';

function fileParts(file: NabFile, threshold: number, probationPercent?: number) {
  const f = prepareFile(file, probationPercent);
  const from = Math.ceil(f.probation);
  const n = Math.max(0, f.rows - from);
  const labels = new Uint8Array(n);
  const pred = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = f.inWindow[from + i]! >= 0 ? 1 : 0;
    pred[i] = f.scores[from + i]! >= threshold ? 1 : 0;
  }
  return metricParts(labels, pred);
}

/** Per-file and pooled metrics at `threshold`. */
export function nabRowMetrics(
  files: readonly NabFile[],
  threshold: number,
  o: { pointAdjusted?: boolean; probationPercent?: number } = {},
): { corpus: RowMetrics; files: RowMetrics[] } {
  const all = files.map((f) => fileParts(f, threshold, o.probationPercent));
  return { corpus: poolMetrics(all, !!o.pointAdjusted), files: all.map((p) => poolMetrics([p], !!o.pointAdjusted)) };
}
