/**
 * One telemanom channel through a series detector: fit on train, score test, threshold the test
 * scores, and count against the labelled sequences. Two thresholds:
 *
 * - `dynamic`: Telemanom's non-parametric dynamic threshold (src/threshold/dynamic.ts) over the
 *   EWMA-smoothed test scores, as Telemanom does with its prediction errors (one window: the whole
 *   test series; no error buffer); the flagged sequences are the runs of smoothed scores above it,
 *   optionally pruned as Telemanom does with share `prune` (src/threshold/prune.ts). Telemanom
 *   prunes with 0.13; on the statistical detectors' scores that removes most true events (their
 *   largest score outside the flagged runs is close to the runs' own), so the default is 0, none.
 * - `pot`: POT (src/threshold/pot.ts) fitted on the detector's train scores at risk q; flagged
 *   steps are test scores above it. When the train scores have too thin a tail for a GPD fit the
 *   threshold is their maximum.
 *
 * The warm-up steps of a detector score 0 and are never flagged.
 */
import { DataError } from '../core/errors.js';
import type { SeriesDetector } from '../detectors/series/index.js';
import { metricParts, type MetricParts } from '../evaluate/pooled.js';
import { fromRanges, toRanges, type Range } from '../evaluate/ranges.js';
import { dynamicThreshold } from '../threshold/dynamic.js';
import { potThreshold } from '../threshold/pot.js';
import { pruneSequences } from '../threshold/prune.js';
import type { SmapChannel } from './smap.js';

export type SmapThresholdKind = 'dynamic' | 'pot';

/** Pruning share p by default: none (Telemanom's is 0.13; see above). */
export const SMAP_PRUNE = 0;

export interface ChannelResult {
  id: string;
  threshold: number;
  flagged: Range[];
  parts: MetricParts;
}

export async function evaluateChannel(
  ch: SmapChannel,
  detector: SeriesDetector,
  kind: SmapThresholdKind,
  o: { q?: number; prune?: number } = {},
): Promise<ChannelResult> {
  await detector.fit(ch.train);
  const test = await detector.score(ch.test);
  const n = ch.test.rows;
  let threshold: number;
  let pred: Uint8Array;
  if (kind === 'dynamic') {
    const d = dynamicThreshold(test.score.subarray(test.warmup));
    threshold = d.threshold;
    pred = new Uint8Array(n);
    for (const [s, e] of pruneSequences(d.smoothed, d.sequences, o.prune ?? SMAP_PRUNE)) pred.fill(1, s + test.warmup, e + test.warmup + 1);
  } else {
    const train = await detector.score(ch.train);
    const cal = train.score.subarray(train.warmup);
    try {
      threshold = potThreshold(cal, { q: o.q ?? 1e-3 }).threshold;
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      threshold = cal.reduce((m, v) => Math.max(m, v), -Infinity);
    }
    pred = Uint8Array.from(test.score, (v, t) => (t >= test.warmup && v > threshold ? 1 : 0));
  }
  const labels = fromRanges(ch.anomalies, n);
  return { id: ch.id, threshold, flagged: toRanges(pred), parts: metricParts(labels, pred) };
}
