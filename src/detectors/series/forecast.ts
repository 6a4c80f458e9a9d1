import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, ModelHandle, TrainData } from '../../engine/engine.js';
import type { TrainingOptions } from '../deep/common.js';
import { DeepSeriesDetector, type StepErrors } from './deep-series.js';
import { slidingWindows } from './windows.js';

/** The steps before the last, so window i (steps i .. i+w-1) pairs with the step after it, i+w. */
const allButLast = (x: Matrix): Matrix => matrix(x.rows - 1, x.cols, x.data.subarray(0, (x.rows - 1) * x.cols));

/**
 * Forecasting detectors (Hundman et al. 2018): a network reads the `context` steps before t and
 * predicts step t, all channels; the score of step t in channel c is the squared prediction error
 * (x[t, c] - prediction)^2 in standardised units, the joint score their sum. Squared rather than
 * Hundman's absolute error so that the score is the per-row value of the training loss (MSE).
 */
export abstract class Forecaster<O extends TrainingOptions> extends DeepSeriesDetector<O> {
  protected examples(x: Matrix): TrainData {
    const w = this.context;
    return { x: slidingWindows(allButLast(x), w), y: matrix(x.rows - w, x.cols, x.data.slice(w * x.cols)) };
  }

  protected async errors(engine: Engine, model: ModelHandle, x: Matrix): Promise<StepErrors> {
    const w = this.context;
    const pred = await engine.forward(model, slidingWindows(allButLast(x), w));
    const out = matrix(pred.rows, x.cols);
    const from = w * x.cols;
    for (let k = 0; k < out.data.length; k++) out.data[k] = (x.data[from + k]! - pred.data[k]!) ** 2;
    return { channels: out };
  }
}
