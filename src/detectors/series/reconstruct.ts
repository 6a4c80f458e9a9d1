import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle, TrainData } from '../../engine/engine.js';
import type { TrainingOptions } from '../deep/common.js';
import { DeepSeriesDetector, type StepErrors } from './deep-series.js';
import { slidingWindows } from './windows.js';

/**
 * Reconstruction detectors: a network reproduces each window of `window` steps (trained on every
 * window of the series); the score of step t comes from the window that ends at t, so it reads
 * steps t-window+1 .. t only (context = window - 1).
 */
export abstract class Reconstructor<O extends TrainingOptions & { window: number }> extends DeepSeriesDetector<O> {
  get context(): number {
    return this.options.window - 1;
  }

  protected examples(x: Matrix): TrainData {
    return { x: slidingWindows(x, this.options.window) };
  }

  protected async errors(engine: Engine, model: ModelHandle, x: Matrix): Promise<StepErrors> {
    const windows = slidingWindows(x, this.options.window);
    return { channels: channelErrors(windows, await engine.forward(model, windows), x.cols, this.scoredSteps) };
  }

  /** Which steps of a window its score counts: the last only, or all of them. */
  protected abstract readonly scoredSteps: 'last' | 'all';
}

/**
 * Squared errors of time-major windows against their reconstructions, per channel: summed over the
 * window's steps (`all`) or of its last step only (`last`); times `scale` (0.5 for a VAE's term).
 */
export function channelErrors(windows: Matrix, rec: Matrix, channels: number, steps: 'last' | 'all', scale = 1): Matrix {
  const out = matrix(windows.rows, channels);
  const first = steps === 'last' ? windows.cols - channels : 0;
  for (let i = 0; i < windows.rows; i++) {
    const base = i * windows.cols;
    for (let k = first; k < windows.cols; k++) {
      out.data[i * channels + (k % channels)] += scale * (windows.data[base + k]! - rec.data[base + k]!) ** 2;
    }
  }
  return out;
}
