/**
 * What a clinical data scientist does before alarming: a running median over the last few minutes
 * per channel removes artefacts shorter than half its width (a probe-off, a motion spike, a line
 * flush) while an event lasting several minutes passes; deviations are then judged in robust-z
 * units against the patient's own last hours, and only alarm when they persist.
 */
import { matrix, type Matrix } from '../../../core/matrix.js';
import { createSeriesDetector } from '../../../detectors/series/registry.js';
import { rowSlice, type SeriesApproach } from '../series.js';

/** Trailing median of `width` steps per channel (causal: a monitor cannot wait for the future). */
export function trailingMedian(X: Matrix, width: number): Matrix {
  const out = matrix(X.rows, X.cols);
  const buf: number[] = [];
  for (let j = 0; j < X.cols; j++) {
    for (let t = 0; t < X.rows; t++) {
      buf.length = 0;
      for (let k = Math.max(0, t - width + 1); k <= t; k++) buf.push(X.data[k * X.cols + j]!);
      buf.sort((a, b) => a - b);
      out.data[t * X.cols + j] = buf[buf.length >> 1]!;
    }
  }
  return out;
}

/** Median filter of 7 minutes, then rolling-mad over the previous 2 hours. */
export const artefactAware: SeriesApproach = {
  name: 'median filter 7 min + rolling-mad',
  async score(all, trainSteps) {
    const smooth = trailingMedian(all, 7);
    const d = createSeriesDetector('rolling-mad', { window: 120 });
    await d.fit(rowSlice(smooth, 0, trainSteps));
    return (await d.score(smooth)).score;
  },
};

/**
 * The bedside monitor's fixed limits (SpO2 < 90%, heart rate > 130 or < 45, systolic > 180):
 * score = the largest exceedance in units of each limit's scale, so the budget can set how far.
 */
export const fixedLimits: SeriesApproach = {
  name: 'fixed alarm limits',
  async score(all) {
    const s = new Float64Array(all.rows);
    for (let t = 0; t < all.rows; t++) {
      const [hr, sbp, , spo2] = all.data.subarray(t * 4, t * 4 + 4);
      s[t] = Math.max((90 - spo2!) / 3, (hr! - 130) / 10, (45 - hr!) / 5, (sbp! - 180) / 10);
    }
    return s;
  },
};
