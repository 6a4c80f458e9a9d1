import { z } from 'zod';
import type { LossSpec, ModelSpec } from '../../engine/engine.js';
import { autoencoderSpec } from '../deep/autoencoder.js';
import { activation, hiddenSizes } from '../deep/common.js';
import { defineSeriesDetector } from './define.js';
import { seriesTrainingOptions, windowOption } from './deep-series.js';
import { Reconstructor } from './reconstruct.js';

const schema = z.object({
  window: windowOption(32),
  /** Encoder sizes of the tabular `autoencoder`, applied to a flattened window (window x channels values). */
  hiddenSizes: hiddenSizes([64, 16]),
  activation: activation('relu'),
  dropout: z.number().min(0).lt(1).default(0.1),
  batchNorm: z.boolean().default(true),
  ...seriesTrainingOptions,
});
type Options = z.output<typeof schema>;

/**
 * The dense `autoencoder` network on flattened windows. A step's score in channel c is the squared
 * reconstruction error of channel c summed over the window ending at that step, so an anomaly
 * raises the scores of the `window` steps from it on (the earliest is its own step).
 */
class WindowAutoencoder extends Reconstructor<Options> {
  readonly name = 'window-autoencoder';
  protected readonly scoredSteps = 'all';

  protected network(channels: number): { spec: ModelSpec; loss: LossSpec } {
    return { spec: autoencoderSpec(this.options.window * channels, this.options), loss: { kind: 'mse', network: 'main' } };
  }
}

export const windowAutoencoder = defineSeriesDetector(
  {
    name: 'window-autoencoder',
    summary: 'dense autoencoder on sliding windows; score = squared reconstruction error of the window ending at each step',
    citation: 'Sakurada & Yairi, Anomaly Detection Using Autoencoders with Nonlinear Dimensionality Reduction (MLSDA 2014)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new WindowAutoencoder(o),
);
