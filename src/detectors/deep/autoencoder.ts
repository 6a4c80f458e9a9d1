import { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import { withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec } from '../../engine/spec.js';
import type { FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, DeepDetector, denseBlocks, hiddenSizes, trainingOptions, type Trained } from './common.js';

const schema = z.object({
  /** Encoder sizes; the decoder mirrors them without the bottleneck (PyOD: [64, 32] gives D-64-32-64-D). */
  hiddenSizes: hiddenSizes([64, 32]),
  activation: activation('relu'),
  dropout: z.number().min(0).lt(1).default(0.2),
  batchNorm: z.boolean().default(true),
  ...trainingOptions,
});
type Options = z.output<typeof schema>;

/** The network: encoder blocks, mirrored decoder blocks, then a linear layer back to D features. */
export function autoencoderSpec(features: number, o: Pick<Options, 'hiddenSizes' | 'activation' | 'dropout' | 'batchNorm'>): ModelSpec {
  const sizes = [...o.hiddenSizes, ...o.hiddenSizes.slice(0, -1).reverse()];
  return parseModelSpec({
    networks: {
      // PyTorch's default initialisation, as PyOD's (PyTorch) AutoEncoder: it beat Glorot on the
      // ODDS sets measured (PyOD protocol), e.g. pendigits 0.819 vs 0.787, satimage-2 0.947 vs 0.911.
      main: {
        input: [features],
        layers: [...denseBlocks(sizes, { ...o, init: 'fanInUniform' }), { type: 'dense', units: features, init: 'fanInUniform' }],
      },
    },
  });
}

const LOSS: LossSpec = { kind: 'mse', network: 'main' };

/**
 * Dense autoencoder trained to reconstruct the rows (mean squared error); a row's score is its
 * squared reconstruction error summed over features, as PyOD's AutoEncoder.
 */
class Autoencoder extends DeepDetector<Options> {
  readonly name = 'autoencoder';

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const spec = autoencoderSpec(X.cols, this.options);
    return withModel(engine, spec, this.options.seed, (m) => this.trainBuilt(engine, m, X, LOSS, ctx));
  }

  /** Squared reconstruction error of each feature; rows sum to the score. */
  async explain(X: Matrix): Promise<Matrix> {
    return this.reconstructionErrors(X);
  }
}

export const autoencoder = defineDetector(
  {
    name: 'autoencoder',
    family: 'deep',
    summary: 'dense autoencoder (batch norm, dropout); score = squared reconstruction error',
    citation: 'Aggarwal, Outlier Analysis (2017), ch. 3; as PyOD AutoEncoder (Zhao et al. 2019)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Autoencoder(o),
);
