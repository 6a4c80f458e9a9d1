/**
 * NAB's scaled sigmoid (Lavin & Ahmad 2015; numenta/NAB nab/scorer.py and nab/sweeper.py):
 * σ_A(y) = 2 / (1 + e^(5y)) - 1, with y the position relative to the right edge of an anomaly
 * window, in window lengths: -1 at the left edge (σ_A ≈ 0.9866), 0 at the right edge (0), and
 * beyond 3 window lengths after a window a flat -1. Earlier detections earn more; false positives
 * just after a window cost little, far from one they cost the full weight.
 */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  // Same operation order as NAB (2 * sigmoid(-5y) - 1) so results agree to the last bits.
  return 2 * (1 / (1 + Math.exp(5 * y))) - 1;
}

/** σ_A(-1): a detection at a window's first row, which NAB scales to exactly tpWeight. */
export const MAX_TP = scaledSigmoid(-1);
