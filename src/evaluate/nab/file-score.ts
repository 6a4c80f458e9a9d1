/**
 * The NAB score of one file at one threshold, row by row (numenta/NAB nab/scorer.py, Scorer;
 * Lavin & Ahmad 2015). A row is a detection when its anomaly score is >= the threshold, and
 * probationary rows are ignored. Then:
 *
 * - each window scores once, on its first row: if it holds a detection, the FIRST one earns
 *   tpWeight σ_A(-(last - i + 1) / length) / σ_A(-1) (1 x tpWeight at the window's first row,
 *   falling towards 0 at its end; later detections in the window add nothing); if it holds none,
 *   -fnWeight;
 * - every detection outside all windows costs fpWeight σ_A(|last_w - i| / (length_w - 1)), w the
 *   window that most recently ended before it (little just after a window, -fpWeight beyond three
 *   window lengths), or -fpWeight when no window precedes it.
 *
 * `st` holds these per-row contributions, the S(t)_<profile> columns of NAB's results files; the
 * file's raw score is their sum. A one-row window followed by a false positive divides by zero in
 * NAB; here the position is +Infinity and the false positive costs -fpWeight.
 */
import type { CostMatrix } from './profiles.js';
import { MAX_TP, scaledSigmoid } from './scaled-sigmoid.js';
import type { PreparedFile } from './windows.js';

export interface FileScore {
  /** Per-row contribution S(t). */
  st: Float64Array;
  /** Sum of S(t). */
  raw: number;
  /** Row counts after the probationary period, as NAB's scorer reports them. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Windows with a detection. */
  detected: number;
}

export function scoreFile(f: PreparedFile, threshold: number, cost: CostMatrix): FileScore {
  const st = new Float64Array(f.rows);
  const firstHit = new Int32Array(f.windows.length).fill(-1);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let fpScore = 0;
  for (let i = Math.ceil(f.probation); i < f.rows; i++) {
    const detected = f.scores[i]! >= threshold;
    const w = f.inWindow[i]!;
    if (w >= 0) {
      if (!detected) fn++;
      else {
        tp++;
        if (firstHit[w]! < 0) firstHit[w] = i;
      }
    } else if (!detected) tn++;
    else {
      fp++;
      const p = f.preceding[i]!;
      const v = p < 0 ? -cost.fpWeight : scaledSigmoid(Math.abs(f.windows[p]!.last - i) / (f.windows[p]!.length - 1)) * cost.fpWeight;
      st[i] = v;
      fpScore += v;
    }
  }
  let windowScore = 0;
  let detectedWindows = 0;
  f.windows.forEach((win, w) => {
    const hit = firstHit[w]!;
    let v: number;
    if (hit < 0) v = -cost.fnWeight;
    else {
      detectedWindows++;
      v = (scaledSigmoid(-(win.last - hit + 1) / win.length) * cost.tpWeight) / MAX_TP;
    }
    st[win.first] = v;
    windowScore += v;
  });
  return { st, raw: windowScore + fpScore, tp, fp, fn, tn, detected: detectedWindows };
}
