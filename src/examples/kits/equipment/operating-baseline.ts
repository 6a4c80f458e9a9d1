/**
 * The approach a reliability engineer would build for slow wear: compare each channel's mean over
 * the machine's last 24 running hours (idle hours carry the last value, so the shift schedule does
 * not move it) with the same quantity in the machine's own training weeks, in robust-z units.
 */
import { matrix, type Matrix } from '../../../core/matrix.js';
import { createDetector } from '../../../detectors/registry.js';
import { rowSlice, type SeriesApproach } from '../series.js';

/** Vibration below this (mm/s) means the machine is idle. */
const IDLE_VIB = 0.5;
const HOURS = 24;

export function runningMeans(X: Matrix): Matrix {
  const out = matrix(X.rows, X.cols);
  const ring: number[][] = [];
  const sum = new Float64Array(X.cols);
  for (let t = 0; t < X.rows; t++) {
    const row = Array.from(X.data.subarray(t * X.cols, (t + 1) * X.cols));
    if (row[0]! > IDLE_VIB) {
      ring.push(row);
      for (let j = 0; j < X.cols; j++) sum[j] += row[j]!;
      if (ring.length > HOURS) {
        const old = ring.shift()!;
        for (let j = 0; j < X.cols; j++) sum[j] -= old[j]!;
      }
    }
    for (let j = 0; j < X.cols; j++) out.data[t * X.cols + j] = ring.length ? sum[j]! / ring.length : 0;
  }
  return out;
}

export const operatingBaseline: SeriesApproach = {
  name: 'robust-z of 24 running-hour means',
  async score(all, trainSteps) {
    const means = runningMeans(all);
    const d = createDetector('robust-z', {});
    await d.fit(rowSlice(means, HOURS * 2, trainSteps));
    const s = await d.score(means);
    s.fill(0, 0, HOURS * 2);
    return s;
  },
};
