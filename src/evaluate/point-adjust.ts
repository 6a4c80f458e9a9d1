/**
 * Point-adjusted evaluation (Xu et al. 2018, WWW, "Unsupervised Anomaly Detection via Variational
 * Auto-Encoder for Seasonal KPIs in Web Applications", Donut): if any point of a true
 * anomaly segment is predicted, every point of that segment counts as predicted; then the usual
 * point-wise precision, recall and F1.
 *
 * This is an OPTIMISTIC protocol. One lucky point in a long segment earns the whole segment, so
 * scores inflate with segment length: Kim et al. (2022, AAAI, "Towards a Rigorous Evaluation of
 * Time-Series Anomaly Detection") show random scores reaching state-of-the-art point-adjusted F1
 * on common benchmarks. Report it only beside point-wise, range-based or event-wise figures,
 * and name it as point-adjusted.
 */
import { DataError } from '../core/errors.js';
import { confusion, prf, type Confusion, type Labels } from './metrics.js';
import { toRanges } from './ranges.js';

/** The predictions after point adjustment: each true segment with any hit becomes all 1s. */
export function pointAdjust(labels: ArrayLike<number>, predicted: ArrayLike<number>): Uint8Array {
  if (labels.length !== predicted.length) throw new DataError(`${labels.length} labels but ${predicted.length} predictions`);
  const out = Uint8Array.from({ length: predicted.length }, (_, i) => (predicted[i] ? 1 : 0));
  for (const [s, e] of toRanges(labels)) {
    let hit = false;
    for (let i = s; i <= e && !hit; i++) hit = out[i] === 1;
    if (hit) out.fill(1, s, e + 1);
  }
  return out;
}

/** Point-adjusted precision, recall and F1 (optimistic: see the module comment). */
export function pointAdjustedPRF(labels: Labels, predicted: ArrayLike<number>): Confusion & { precision: number; recall: number; f1: number } {
  const c = confusion(labels, pointAdjust(labels, predicted));
  return { ...c, ...prf(c) };
}
