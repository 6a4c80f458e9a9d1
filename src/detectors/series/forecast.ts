import { z } from 'zod';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle, TrainData } from '../../engine/engine.js';
import type { TrainingOptions } from '../deep/common.js';
import { DeepSeriesDetector, type StepErrors } from './deep-series.js';
import { slidingWindows } from './windows.js';

/** The steps before the last, so window i (steps i .. i+w-1) pairs with the step after it, i+w. */
const allButLast = (x: Matrix): Matrix => matrix(x.rows - 1, x.cols, x.data.subarray(0, (x.rows - 1) * x.cols));

/**
 * How a forecaster turns a prediction into a score: `squared`, (x - prediction)^2, the per-row value
 * of the training loss (MSE); or `absolute`, |x - prediction|, Hundman et al.'s prediction error,
 * whose lighter tail is what their smoothing and dynamic threshold were designed on.
 */
export const forecastErrorOption = (d: 'squared' | 'absolute') => z.enum(['squared', 'absolute']).default(d);

/**
 * Forecasting detectors (Hundman et al. 2018): a network reads the `context` steps before t and
 * predicts step t, all channels; the score of step t in channel c is the prediction error of
 * x[t, c] in standardised units (squared or absolute, option `error`), the joint score their sum.
 */
export abstract class Forecaster<O extends TrainingOptions & { error: 'squared' | 'absolute' }> extends DeepSeriesDetector<O> {
  protected examples(x: Matrix): TrainData {
    const w = this.context;
    return { x: slidingWindows(allButLast(x), w), y: matrix(x.rows - w, x.cols, x.data.slice(w * x.cols)) };
  }

  protected async errors(engine: Engine, model: ModelHandle, x: Matrix): Promise<StepErrors> {
    const w = this.context;
    const pred = await engine.forward(model, slidingWindows(allButLast(x), w));
    const out = matrix(pred.rows, x.cols);
    const from = w * x.cols;
    const abs = this.options.error === 'absolute';
    for (let k = 0; k < out.data.length; k++) {
      const d = x.data[from + k]! - pred.data[k]!;
      out.data[k] = abs ? Math.abs(d) : d * d;
    }
    return { channels: out };
  }
}
