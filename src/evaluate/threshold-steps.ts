/** The distinct scores as thresholds, highest first: the walk average precision, best F1 and the curves share. */
import type { Labels, Scores } from './metrics.js';

/** Indices sorted by score, highest first; ties keep input order. */
export function descending(scores: Scores): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/**
 * Walks the distinct scores from the highest down and yields, for each as a threshold
 * (score >= threshold), the true and false positives: tied scores form one step.
 */
export function* thresholdSteps(labels: Labels, scores: Scores): Generator<{ threshold: number; tp: number; fp: number }> {
  const order = descending(scores);
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    yield { threshold: scores[i]!, tp, fp };
  }
}
