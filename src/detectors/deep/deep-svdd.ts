import { z } from 'zod';
import { OptionsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { checkImageRows } from '../../data/images/image.js';
import { withModel, type Engine, type LossSpec, type ModelSpec, type Weights } from '../../engine/engine.js';
import { modelParams, parseModelSpec, type LayerSpecInput } from '../../engine/spec.js';
import type { FitContext, Json } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, DeepDetector, denseBlocks, hiddenSizes, loopOptions, trainingOptions, type Trained } from './common.js';

const dim = z.number().int().positive().max(4096);

const schema = z.object({
  /** Layer sizes; the last is the dimension of the output space holding the hypersphere. */
  hiddenSizes: hiddenSizes([64, 32]),
  activation: activation('leakyRelu'),
  dropout: z.number().min(0).lt(1).default(0),
  /** Batch norm without shift or scale (Ruff et al.'s BatchNorm(affine=False)). Unset = off for rows, on for images (as Ruff et al.'s image networks). */
  batchNorm: z.boolean().optional().describe('Batch norm without shift or scale (Ruff et al.\'s BatchNorm(affine=False)). Unset = off for rows, on for images (as Ruff et al.\'s image networks).'),
  /** Center coordinates closer to 0 than this are pushed out to +-eps, so that zero weights cannot map rows onto c. */
  eps: z.number().positive().default(0.1).describe('Center coordinates closer to 0 than this are pushed out to +-eps, so that zero weights cannot map rows onto c.'),
  /** Images: rows are flattened height x width x channels pixels (channels last); with both set the network starts with conv blocks. The image harness fills these. */
  height: dim.optional(),
  width: dim.optional(),
  channels: z.number().int().positive().max(64).default(1),
  /** Convolutional network: filters of the bias-free stride-2 conv blocks before the dense layers. */
  filters: z.array(z.number().int().positive().max(1024)).min(1).max(6).default([16, 32]).describe('Convolutional network: filters of the bias-free stride-2 conv blocks before the dense layers.'),
  kernelSize: z.number().int().positive().max(9).default(5),
  /**
   * Epochs of autoencoder pretraining (Ruff et al.): the network is first trained as the encoder of
   * a mirrored bias-free autoencoder, and Deep SVDD starts from its weights. 0 = start from random
   * weights. Images need height and width divisible by 2^(conv blocks).
   */
  pretrainEpochs: z.number().int().nonnegative().max(10_000).default(0).describe('Epochs of autoencoder pretraining (Ruff et al.): the network is first trained as the encoder of a mirrored bias-free autoencoder, and Deep SVDD starts from its weights. 0 = start from random weights. Images need height and width divisible by 2^(conv blocks).'),
  ...trainingOptions,
  // 10 epochs: on contaminated (unlabelled) training data longer training also pulls the
  // anomalies in; 10 beat 50 on 5 of the first 6 ODDS sets (PyOD protocol) at a fifth of the cost.
  weightDecay: trainingOptions.weightDecay.removeDefault().default(1e-6),
  /** Standardise each feature first; unset = on for rows, off for images (pixels in [0, 1] are used as they are). */
  standardize: z.boolean().optional().describe('Standardise each feature first; unset = on for rows, off for images (pixels in [0, 1] are used as they are).'),
});
type Options = z.output<typeof schema>;
type Resolved = Omit<Options, 'standardize' | 'batchNorm'> & { standardize: boolean; batchNorm: boolean };
type Dense = Pick<Resolved, 'hiddenSizes' | 'activation' | 'dropout' | 'batchNorm'>;
type Conv = Pick<Resolved, 'channels' | 'filters' | 'kernelSize'> & { height: number; width: number };

/** Bias-free conv blocks (stride 2, same padding), each with shift-free batch norm when on, then flatten. */
function convBlocks(im: Conv, o: Dense): LayerSpecInput[] {
  const out: LayerSpecInput[] = [];
  for (const f of im.filters) {
    out.push({ type: 'conv2d', filters: f, kernelSize: im.kernelSize, strides: 2, padding: 'same', useBias: false });
    if (o.batchNorm) out.push({ type: 'batchNorm', center: false, scale: false });
    out.push({ type: 'activation', fn: o.activation });
  }
  out.push({ type: 'flatten' });
  return out;
}

/**
 * Bias-free network: dense layers without bias, batch norm (when on) without shift, and a linear
 * last layer. Ruff et al. show biases (and bounded activations) let the network map every row to
 * the center, a trivial solution of the objective ("hypersphere collapse"). With `image` the
 * dense layers read the features of bias-free conv blocks (Ruff et al.'s LeNet-type networks,
 * with stride-2 convolutions in place of max pooling).
 */
export function svddSpec(features: number, o: Dense, image?: Conv): ModelSpec {
  const hidden = o.hiddenSizes.slice(0, -1);
  const rep = o.hiddenSizes[o.hiddenSizes.length - 1]!;
  const input = image ? [image.height, image.width, image.channels] : [features];
  const conv = image ? convBlocks(image, o) : [];
  return parseModelSpec({
    networks: {
      main: {
        input,
        layers: [...conv, ...denseBlocks(hidden, { ...o, useBias: false }), { type: 'dense', units: rep, useBias: false }],
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
class DeepSvdd extends DeepDetector<Resolved> {
  readonly name = 'deep-svdd';

  private get image(): Conv | undefined {
    const o = this.options;
    return o.height === undefined || o.width === undefined ? undefined : { ...o, height: o.height, width: o.width };
  }

  override async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    const im = this.image;
    if (im) checkImageRows(this.name, im, X);
    await super.fit(X, ctx);
  }

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const spec = svddSpec(X.cols, this.options, this.image);
    const init = this.options.pretrainEpochs > 0 ? await this.pretrained(engine, spec, X, ctx) : this.options.seed;
    return withModel(engine, spec, init, async (m) => {
      const center = svddCenter(await engine.forward(m, X), this.options.eps);
      const loss: LossSpec = { kind: 'svdd-distance', network: 'main', center };
      return this.trainBuilt(engine, m, X, loss, ctx);
    });
  }

  /** The network's weights after training it as the encoder of an autoencoder (its parameters keep their names). */
  private async pretrained(engine: Engine, spec: ModelSpec, X: Matrix, ctx: FitContext | undefined): Promise<Weights> {
    const ae = svddAutoencoderSpec(X.cols, this.options, this.image);
    return withModel(engine, ae, this.options.seed, async (m) => {
      await engine.train(m, { x: X }, { kind: 'mse', network: 'main' }, loopOptions({ ...this.options, epochs: this.options.pretrainEpochs }), { signal: ctx?.signal });
      const all = engine.weights(m);
      return Object.fromEntries(modelParams(spec).map((p) => [p.name, all[p.name]!]));
    });
  }
}

/**
 * svddSpec's network followed by a mirrored bias-free decoder (Ruff et al.'s pretraining
 * autoencoder): dense blocks back up, then for images a dense layer to the last conv block's
 * shape and stride-2 transposed conv blocks, ending in a sigmoid (pixels are in [0, 1]); rows end
 * linear (they are standardised).
 */
export function svddAutoencoderSpec(features: number, o: Dense, image?: Conv): ModelSpec {
  const encoder = svddSpec(features, o, image).networks['main']!;
  const bn = (layers: LayerSpecInput[]): LayerSpecInput[] => (o.batchNorm ? [...layers, { type: 'batchNorm', center: false, scale: false }] : layers);
  const back = [...o.hiddenSizes.slice(0, -1)].reverse();
  const layers: LayerSpecInput[] = [...encoder.layers, ...denseBlocks(back, { ...o, useBias: false })];
  if (!image) {
    layers.push({ type: 'dense', units: features, useBias: false });
  } else {
    const div = 2 ** image.filters.length;
    if (image.height % div !== 0 || image.width % div !== 0) {
      throw new OptionsError(`deep-svdd: pretraining needs height and width (${image.height}x${image.width}) divisible by ${div} (2^${image.filters.length} conv blocks)`);
    }
    const [h, w] = [image.height / div, image.width / div];
    const last = image.filters[image.filters.length - 1]!;
    layers.push(...bn([{ type: 'dense', units: h * w * last, useBias: false }]), { type: 'activation', fn: o.activation }, { type: 'reshape', targetShape: [h, w, last] });
    for (const f of [...image.filters].reverse().slice(1)) {
      layers.push(...bn([{ type: 'conv2dTranspose', filters: f, kernelSize: image.kernelSize, strides: 2, padding: 'same', useBias: false }]), { type: 'activation', fn: o.activation });
    }
    layers.push({ type: 'conv2dTranspose', filters: image.channels, kernelSize: image.kernelSize, strides: 2, padding: 'same', useBias: false, activation: 'sigmoid' });
  }
  return parseModelSpec({ networks: { main: { input: encoder.input, layers } } });
}

function resolve(o: Options): Resolved & Readonly<Record<string, Json>> {
  if ((o.height === undefined) !== (o.width === undefined)) {
    throw new OptionsError(`deep-svdd: images need both 'height' and 'width' (got only '${o.height === undefined ? 'width' : 'height'}')`);
  }
  const rows = o.height === undefined;
  return { ...o, standardize: o.standardize ?? rows, batchNorm: o.batchNorm ?? !rows } as Resolved & Readonly<Record<string, Json>>;
}

export const deepSvdd = defineDetector(
  {
    name: 'deep-svdd',
    family: 'deep',
    summary: 'one-class Deep SVDD: bias-free network (dense, or conv on images) mapping rows near a center; score = squared distance',
    citation: 'Ruff et al., Deep One-Class Classification (ICML 2018)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new DeepSvdd(resolve(o)),
);
