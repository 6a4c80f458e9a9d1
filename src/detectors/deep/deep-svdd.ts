import { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import { withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec } from '../../engine/spec.js';
import type { FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, DeepDetector, denseBlocks, hiddenSizes, trainingOptions, type Trained } from './common.js';

const schema = z.object({
  /** Layer sizes; the last is the dimension of the output space holding the hypersphere. */
  hiddenSizes: hiddenSizes([64, 32]),
  activation: activation('leakyRelu'),
  dropout: z.number().min(0).lt(1).default(0),
  /** Batch norm without shift or scale (Ruff et al.'s BatchNorm(affine=False)). */
  batchNorm: z.boolean().default(false),
  /** Center coordinates closer to 0 than this are pushed out to +-eps, so that zero weights cannot map rows onto c. */
  eps: z.number().positive().default(0.1),
  ...trainingOptions,
  // 10 epochs: on contaminated (unlabelled) training data longer training also pulls the
  // anomalies in; 10 beat 50 on 5 of the first 6 ODDS sets (PyOD protocol) at a fifth of the cost.
  weightDecay: trainingOptions.weightDecay.removeDefault().default(1e-6),
});
type Options = z.output<typeof schema>;

/**
 * Bias-free network: dense layers without bias, batch norm (when on) without shift, and a linear
 * last layer. Ruff et al. show biases (and bounded activations) let the network map every row to
 * the center, a trivial solution of the objective ("hypersphere collapse").
 */
export function svddSpec(features: number, o: Pick<Options, 'hiddenSizes' | 'activation' | 'dropout' | 'batchNorm'>): ModelSpec {
  const hidden = o.hiddenSizes.slice(0, -1);
  const rep = o.hiddenSizes[o.hiddenSizes.length - 1]!;
  return parseModelSpec({
    networks: {
      main: {
        input: [features],
        layers: [...denseBlocks(hidden, { ...o, useBias: false }), { type: 'dense', units: rep, useBias: false }],
      },
    },
  });
}

/** The mean of the outputs, with coordinates nearer 0 than eps set to +-eps (Ruff et al.'s reference code). */
export function svddCenter(out: Matrix, eps: number): number[] {
  const c = new Array<number>(out.cols).fill(0);
  for (let i = 0; i < out.rows; i++) for (let j = 0; j < out.cols; j++) c[j]! += out.data[i * out.cols + j]!;
  return c.map((v) => {
    const m = v / out.rows;
    return Math.abs(m) < eps ? (m < 0 ? -eps : eps) : m;
  });
}

/**
 * One-class Deep SVDD (Ruff et al., ICML 2018): a network is trained to map the rows close to a
 * fixed center c, the mean of the untrained network's outputs (inference mode); the loss is the
 * mean squared distance to c plus weight decay, and a row's score is its squared distance to c.
 */
class DeepSvdd extends DeepDetector<Options> {
  readonly name = 'deep-svdd';

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const spec = svddSpec(X.cols, this.options);
    return withModel(engine, spec, this.options.seed, async (m) => {
      const center = svddCenter(await engine.forward(m, X), this.options.eps);
      const loss: LossSpec = { kind: 'svdd-distance', network: 'main', center };
      return this.trainBuilt(engine, m, X, loss, ctx);
    });
  }
}

export const deepSvdd = defineDetector(
  {
    name: 'deep-svdd',
    family: 'deep',
    summary: 'one-class Deep SVDD: bias-free network mapping rows near a center; score = squared distance',
    citation: 'Ruff et al., Deep One-Class Classification (ICML 2018)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new DeepSvdd(o),
);
