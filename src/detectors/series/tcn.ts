import { z } from 'zod';
import type { LossSpec, ModelSpec } from '../../engine/engine.js';
import { parseModelSpec } from '../../engine/spec.js';
import { defineSeriesDetector } from './define.js';
import { seriesTrainingOptions } from './deep-series.js';
import { Forecaster, forecastErrorOption } from './forecast.js';

const schema = z.object({
  /** Dilation of each causal convolution, in order; the window is the stack's receptive field. */
  dilations: z.array(z.number().int().positive().max(1024)).min(1).max(16).default([1, 2, 4, 8]).describe('Dilation of each causal convolution, in order; the window is the stack\'s receptive field.'),
  kernelSize: z.number().int().min(2).max(16).default(3),
  filters: z.number().int().positive().max(4096).default(32),
  /** Score as the squared or the absolute prediction error. */
  error: forecastErrorOption('squared'),
  ...seriesTrainingOptions,
});
type Options = z.output<typeof schema>;

/**
 * Temporal convolutional forecaster (Bai et al. 2018): dilated causal 1-D convolutions with ReLU,
 * then a linear layer predicting the next step's channels; scored as every forecaster. The window
 * is exactly the receptive field, 1 + (kernelSize - 1) * sum(dilations) steps (31 by default), and
 * the convolutions are unpadded, so the last one yields the single output step that sees the whole
 * window: the same value a causally padded stack gives at its last step, without computing the
 * others. Plain stacked blocks: the residual connections of Bai et al. are left out.
 */
class Tcn extends Forecaster<Options> {
  readonly name = 'tcn';

  get context(): number {
    const o = this.options;
    return 1 + (o.kernelSize - 1) * o.dilations.reduce((a, b) => a + b, 0);
  }

  protected network(channels: number): { spec: ModelSpec; loss: LossSpec } {
    const o = this.options;
    const convs = o.dilations.map((dilation) => ({
      type: 'conv1d' as const,
      filters: o.filters,
      kernelSize: o.kernelSize,
      dilation,
      padding: 'valid' as const,
      activation: 'relu' as const,
    }));
    const spec = parseModelSpec({
      networks: { main: { input: [this.context, channels], layers: [...convs, { type: 'flatten' }, { type: 'dense', units: channels }] } },
    });
    return { spec, loss: { kind: 'mse', network: 'main' } };
  }
}

export const tcn = defineSeriesDetector(
  {
    name: 'tcn',
    summary: 'dilated causal 1-D CNN forecaster of the next step; score = squared prediction error per channel',
    citation: 'Bai, Kolter & Koltun, An Empirical Evaluation of Generic Convolutional and Recurrent Networks for Sequence Modeling (2018)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new Tcn(o),
);
