import { z } from 'zod';
import { DataError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec, type LayerSpecInput } from '../../engine/spec.js';
import { checkImageRows } from '../../data/images/image.js';
import type { FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { DeepDetector, trainingOptions, type Trained } from './common.js';

const dim = z.number().int().positive().max(4096);

const schema = z.object({
  /** Image shape; rows are flattened height x width x channels pixels (channels last). The image harness fills these. */
  height: dim,
  width: dim,
  channels: z.number().int().positive().max(64).default(1),
  /** Filters of the stride-2 conv blocks; the decoder mirrors them with stride-2 transposed convolutions. */
  filters: z.array(z.number().int().positive().max(1024)).min(1).max(6).default([16, 32]).describe('Filters of the stride-2 conv blocks; the decoder mirrors them with stride-2 transposed convolutions.'),
  kernelSize: z.number().int().positive().max(9).default(3),
  /**
   * Size of a dense bottleneck between encoder and decoder (flatten, dense to `latent`, dense back
   * to the smallest feature map); 0 = none, the code is the last feature map. Without one the
   * code of 28x28 images with filters [16, 32] holds 7x7x32 = 1568 values, twice the pixels, and
   * the network learns to copy any image, anomalies included (Fashion-MNIST one-class mean
   * ROC-AUC 0.717); a 32-value code as in Ruff et al.'s DCAE forces it to model the normal class.
   */
  latent: z.number().int().nonnegative().max(4096).default(32).describe('Size of a dense bottleneck between encoder and decoder (flatten, dense to `latent`, dense back to the smallest feature map); 0 = none, the code is the last feature map. Without one the code of 28x28 images with filters [16, 32] holds 7x7x32 = 1568 values, twice the pixels, and the network learns to copy any image, anomalies included (Fashion-MNIST one-class mean ROC-AUC 0.717); a 32-value code as in Ruff et al.\'s DCAE forces it to model the normal class.'),
  ...trainingOptions,
  batchSize: z.number().int().positive().default(128),
  /** Pixels in [0, 1] are used as they are by default (the output is a sigmoid). */
  standardize: z.boolean().default(false).describe('Pixels in [0, 1] are used as they are by default (the output is a sigmoid).'),
});
type Options = z.output<typeof schema>;

/**
 * The network: conv2d (stride 2, same padding) + relu per filter count, the dense bottleneck (a
 * linear code of `latent` values) if any, then conv2dTranspose (stride 2) back up, the last to `channels` with a sigmoid. Height and width must be divisible
 * by 2^blocks so the output has the input's shape.
 */
export function convAutoencoderSpec(o: Pick<Options, 'height' | 'width' | 'channels' | 'filters' | 'kernelSize' | 'latent'>): ModelSpec {
  const div = 2 ** o.filters.length;
  if (o.height % div !== 0 || o.width % div !== 0) {
    throw new DataError(`conv-autoencoder: height and width (${o.height}x${o.width}) must be divisible by ${div} (2^${o.filters.length} filter blocks)`);
  }
  const k = o.kernelSize;
  const layers: LayerSpecInput[] = [];
  for (const f of o.filters) layers.push({ type: 'conv2d', filters: f, kernelSize: k, strides: 2, padding: 'same', activation: 'relu', init: 'fanInUniform' });
  if (o.latent > 0) {
    const [h, w, last] = [o.height / div, o.width / div, o.filters[o.filters.length - 1]!];
    layers.push(
      { type: 'flatten' },
      { type: 'dense', units: o.latent, init: 'fanInUniform' },
      { type: 'dense', units: h * w * last, activation: 'relu', init: 'fanInUniform' },
      { type: 'reshape', targetShape: [h, w, last] },
    );
  }
  const down = [...o.filters].reverse().slice(1);
  for (const f of down) layers.push({ type: 'conv2dTranspose', filters: f, kernelSize: k, strides: 2, padding: 'same', activation: 'relu', init: 'fanInUniform' });
  layers.push({ type: 'conv2dTranspose', filters: o.channels, kernelSize: k, strides: 2, padding: 'same', activation: 'sigmoid', init: 'fanInUniform' });
  return parseModelSpec({ networks: { main: { input: [o.height, o.width, o.channels], layers } } });
}

const LOSS: LossSpec = { kind: 'mse', network: 'main' };

/**
 * Convolutional autoencoder on images (rows of flattened HWC pixels); a row's score is its squared
 * reconstruction error summed over pixels.
 */
class ConvAutoencoder extends DeepDetector<Options> {
  readonly name = 'conv-autoencoder';

  override async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    checkImageRows(this.name, this.options, X);
    await super.fit(X, ctx);
  }

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const spec = convAutoencoderSpec(this.options);
    return withModel(engine, spec, this.options.seed, (m) => this.trainBuilt(engine, m, X, LOSS, ctx));
  }

  /** Squared reconstruction error of each pixel; rows sum to the score. */
  async explain(X: Matrix): Promise<Matrix> {
    return this.reconstructionErrors(X);
  }
}

export const convAutoencoder = defineDetector(
  {
    name: 'conv-autoencoder',
    family: 'deep',
    summary: 'convolutional autoencoder on images (stride-2 conv, transposed conv); score = squared reconstruction error',
    citation: 'Masci et al., Stacked Convolutional Auto-Encoders (ICANN 2011)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new ConvAutoencoder(o),
);
