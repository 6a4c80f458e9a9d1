/**
 * NAB's threshold sweep (numenta/NAB nab/sweeper.py, calcSweepScore and calcScoreByThreshold,
 * used by nab/optimizer.py): the score of a whole corpus at EVERY distinct threshold in one pass.
 * Each non-probationary row gets the score it would contribute if it were a detection (inside a
 * window, σ_A of its position scaled to tpWeight; outside, its false-positive cost); rows are
 * then taken in descending anomaly score, and each step lowers the threshold to the next
 * distinct score. A window's part is -fnWeight until its first row is detected and then the best
 * (earliest) detected row's value; false positives add up.
 *
 * One deliberate difference: NAB's sweeper only knows windows that have a non-probationary row,
 * while its scorer charges -fnWeight for every window. Every window is counted here, so the swept
 * score always equals the sum of the per-file scores at the same threshold. NAB's own labels keep
 * windows out of the probationary period, so on NAB the two agree.
 */
import type { CostMatrix } from './profiles.js';
import { MAX_TP, scaledSigmoid } from './scaled-sigmoid.js';
import type { PreparedFile } from './windows.js';

export interface ThresholdScore {
  /** Rows with anomaly score >= threshold are detections. */
  threshold: number;
  /** Raw NAB score of the corpus at this threshold. */
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

/**
 * The threshold that detects nothing. NAB starts its sweep at 1.1, above any score in [0, 1];
 * scores are not always in [0, 1] here, so above the largest score it is +Infinity.
 */
export function noDetectionThreshold(maxScore: number): number {
  return maxScore < 1.1 ? 1.1 : Infinity;
}

/** Scores by threshold, from detecting nothing down to detecting every row. */
export function sweepThresholds(files: readonly PreparedFile[], cost: CostMatrix): ThresholdScore[] {
  let n = 0;
  let windows = 0;
  for (const f of files) {
    n += Math.max(0, f.rows - Math.ceil(f.probation));
    windows += f.windows.length;
  }
  const score = new Float64Array(n);
  const gain = new Float64Array(n);
  const win = new Int32Array(n);
  let k = 0;
  let offset = 0;
  let tn = 0;
  let fn = 0;
  let maxScore = -Infinity;
  for (const f of files) {
    for (let i = Math.ceil(f.probation); i < f.rows; i++, k++) {
      const s = f.scores[i]!;
      score[k] = s;
      if (s > maxScore) maxScore = s;
      const w = f.inWindow[i]!;
      if (w >= 0) {
        const { last, length } = f.windows[w]!;
        gain[k] = (scaledSigmoid(-(last - i + 1) / length) * cost.tpWeight) / MAX_TP;
        win[k] = offset + w;
        fn++;
      } else {
        const p = f.preceding[i]!;
        gain[k] = p < 0 ? -cost.fpWeight : scaledSigmoid(Math.abs(f.windows[p]!.last - i) / (f.windows[p]!.length - 1)) * cost.fpWeight;
        win[k] = -1;
        tn++;
      }
    }
    offset += f.windows.length;
  }
  // Descending score; equal scores keep corpus order (Python's stable sort in NAB).
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => score[b]! - score[a]! || a - b);

  const best = new Float64Array(windows).fill(-cost.fnWeight);
  let windowPart = -cost.fnWeight * windows;
  let fpPart = 0;
  let tp = 0;
  let fp = 0;
  let current = noDetectionThreshold(maxScore);
  const out: ThresholdScore[] = [];
  for (const j of order) {
    if (score[j] !== current) {
      out.push({ threshold: current, score: windowPart + fpPart, tp, tn, fp, fn });
      current = score[j]!;
    }
    const w = win[j]!;
    if (w >= 0) {
      tp++;
      fn--;
      if (gain[j]! > best[w]!) {
        windowPart += gain[j]! - best[w]!;
        best[w] = gain[j]!;
      }
    } else {
      fp++;
      tn--;
      fpPart += gain[j]!;
    }
  }
  out.push({ threshold: current, score: windowPart + fpPart, tp, tn, fp, fn });
  return out;
}

/** The best threshold of a sweep: highest score, ties to the higher threshold (NAB's stable sort). */
export function bestThreshold(scores: readonly ThresholdScore[]): ThresholdScore {
  let best = scores[0]!;
  for (const s of scores) if (s.score > best.score) best = s;
  return best;
}
