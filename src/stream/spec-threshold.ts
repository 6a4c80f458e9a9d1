/**
 * A stream threshold from a model's threshold spec (POT, contamination, a value): calibration
 * scores are collected, then fitted once to one fixed cutoff, exactly as the batch model fits its
 * cutoff on training scores. So a refit of a saved series model judges by the same rule it was
 * saved with, applied to the new model's scores of the buffer (few hundred scores lower POT's
 * initial quantile: see specForCount).
 */
import { DataError } from '../core/errors.js';
import { fitThreshold, specForCount, type ThresholdSpec } from '../threshold/index.js';
import type { StreamThreshold, ThresholdState } from './stream-detector.js';

export class SpecThreshold implements StreamThreshold {
  private scores: number[] = [];
  private cutoff: number | null;

  /** With `cutoff`, already fitted (a saved model's). */
  constructor(
    readonly spec: ThresholdSpec,
    cutoff?: number,
  ) {
    this.cutoff = cutoff ?? null;
  }

  calibrate(score: number): void {
    if (this.cutoff === null && Number.isFinite(score)) this.scores.push(score);
  }

  prepare(): void {
    if (this.cutoff !== null) return;
    if (!this.scores.length) throw new DataError('no scores to fit the threshold on');
    this.cutoff = fitThreshold(specForCount(this.spec, this.scores.length), Float64Array.from(this.scores));
    this.scores = [];
  }

  judge(score: number): { anomaly: boolean; threshold: number } {
    this.prepare();
    return { anomaly: score > this.cutoff!, threshold: this.cutoff! };
  }

  toJSON(): ThresholdState {
    this.prepare();
    return { kind: 'fixed', value: this.cutoff! };
  }
}
