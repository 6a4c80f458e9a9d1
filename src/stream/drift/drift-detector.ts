/**
 * Concept-drift detectors: watch one number per step (a score, or an input value) and say when
 * its distribution has changed. One small interface so a stream, the CLI and the refit wrapper
 * can take any of them; the kinds live in ./registry.ts.
 */
export interface DriftDetector {
  readonly name: string;
  /**
   * Feeds one value; true when a drift is detected at it. Non-finite values are ignored (no
   * drift, nothing learned): a NaN score must not poison the running sums.
   */
  update(x: number): boolean;
  /** Forgets everything seen, as if new. */
  reset(): void;
  /** Numbers held that grow with the stream (0 for O(1) detectors; ADWIN's buckets). */
  bufferedValues(): number;
  /** Plain JSON; `driftFromJSON` restores a detector that continues identically. */
  toJSON(): { format: string };
}
