import { z } from 'zod';
import { matrix, type Matrix } from '../../core/matrix.js';
import type { Engine, LossSpec, ModelHandle, ModelSpec } from '../../engine/engine.js';
import { VAE_LOG_VAR_BOUNDS } from '../../engine/spec.js';
import { activation, hiddenSizes } from '../deep/common.js';
import { vaeSpec } from '../deep/vae.js';
import { defineSeriesDetector } from './define.js';
import { seriesTrainingOptions, windowOption, type StepErrors } from './deep-series.js';
import { channelErrors, Reconstructor } from './reconstruct.js';
import { slidingWindows } from './windows.js';

const schema = z.object({
  window: windowOption(32),
  /** Encoder sizes of the tabular `vae` (the decoder mirrors them), on a flattened window. */
  hiddenSizes: hiddenSizes([64, 16]),
  latent: z.number().int().positive().max(4096).default(4),
  activation: activation('relu'),
  dropout: z.number().min(0).lt(1).default(0.1),
  batchNorm: z.boolean().default(true),
  beta: z.number().positive().default(1),
  warmupEpochs: z.number().int().nonnegative().default(3),
  ...seriesTrainingOptions,
});
type Options = z.output<typeof schema>;

/**
 * The tabular `vae` network on flattened windows (Donut, Xu et al. 2018, also runs a VAE over sliding
 * windows of a series).
 * The joint score of a step is the negative ELBO of the window ending there at the posterior mean,
 * as `vae` scores a row; the channel scores split its reconstruction term, 0.5 (x - x')^2 summed
 * over the window's steps of each channel. The KL term belongs to no channel, so channel scores sum
 * to less than the joint score.
 */
class WindowVae extends Reconstructor<Options> {
  readonly name = 'window-vae';
  protected readonly scoredSteps = 'all';

  protected network(channels: number): { spec: ModelSpec; loss: LossSpec } {
    const o = this.options;
    return {
      spec: vaeSpec(o.window * channels, o),
      loss: { kind: 'vae-elbo', encoder: 'encoder', decoder: 'decoder', latent: o.latent, beta: o.beta, warmupEpochs: o.warmupEpochs },
    };
  }

  protected override async errors(engine: Engine, model: ModelHandle, x: Matrix): Promise<StepErrors> {
    const L = this.options.latent;
    const windows = slidingWindows(x, this.options.window);
    const enc = await engine.forward(model, windows, { network: 'encoder' });
    const mu = matrix(windows.rows, L);
    const joint = new Float64Array(windows.rows);
    for (let i = 0; i < windows.rows; i++) {
      mu.data.set(enc.data.subarray(i * 2 * L, i * 2 * L + L), i * L);
      let kl = 0;
      for (let j = 0; j < L; j++) {
        const m = enc.data[i * 2 * L + j]!;
        const lv = Math.min(Math.max(enc.data[i * 2 * L + L + j]!, VAE_LOG_VAR_BOUNDS.min), VAE_LOG_VAR_BOUNDS.max);
        kl += m * m + Math.exp(lv) - lv - 1;
      }
      joint[i] = 0.5 * this.options.beta * kl;
    }
    const rec = await engine.forward(model, mu, { network: 'decoder' });
    const channels = channelErrors(windows, rec, x.cols, 'all', 0.5);
    for (let i = 0; i < windows.rows; i++) for (let c = 0; c < x.cols; c++) joint[i] += channels.data[i * x.cols + c]!;
    return { channels, joint };
  }
}

export const windowVae = defineSeriesDetector(
  {
    name: 'window-vae',
    summary: 'variational autoencoder on sliding windows; score = negative ELBO of the window ending at each step',
    citation: 'Xu et al., Unsupervised Anomaly Detection via Variational Auto-Encoder for Seasonal KPIs in Web Applications (WWW 2018)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new WindowVae(o),
);
