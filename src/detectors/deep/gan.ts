import { z } from 'zod';
import { DataError, OptionsError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { checkImageRows } from '../../data/images/image.js';
import { withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec, type LayerSpecInput } from '../../engine/spec.js';
import type { FitContext, Json } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, DeepDetector, denseBlocks, hiddenSizes, trainingOptions, type Trained } from './common.js';

const dim = z.number().int().positive().max(4096);

const schema = z.object({
  /** Dense (tabular) networks: encoder and discriminator sizes; the decoder mirrors them. */
  hiddenSizes: hiddenSizes([64, 32]),
  /** Size of the code z. */
  latent: z.number().int().positive().max(4096).default(16).describe('Size of the code z.'),
  activation: activation('leakyRelu'),
  dropout: z.number().min(0).lt(1).default(0),
  /** Batch norm in every block but the first (DCGAN). Off by default: it lowered ROC-AUC on ODDS rows (6 sets: 0.76 vs 0.74 latent, 0.84 vs 0.82 reconstruction score) and on the toy images. */
  batchNorm: z.boolean().default(false).describe('Batch norm in every block but the first (DCGAN). Off by default: it lowered ROC-AUC on ODDS rows (6 sets: 0.76 vs 0.74 latent, 0.84 vs 0.82 reconstruction score) and on the toy images.'),
  /** Weight of the feature-matching (adversarial) term of the generator's objective. */
  adversarialWeight: z.number().nonnegative().default(1).describe('Weight of the feature-matching (adversarial) term of the generator\'s objective.'),
  /** Weight of the L1 reconstruction (contextual) term. */
  contextualWeight: z.number().nonnegative().default(50).describe('Weight of the L1 reconstruction (contextual) term.'),
  /** Weight of the latent-consistency (encoder) term ||z - z'||^2. */
  encoderWeight: z.number().nonnegative().default(1).describe('Weight of the latent-consistency (encoder) term ||z - z\'||^2.'),
  /**
   * `latent`: mean (z - z')^2, the paper's score; `reconstruction`: mean |x - x'|. Unset =
   * `reconstruction` for rows (mean ROC-AUC 0.769 vs 0.716 over 15 ODDS sets, one PyOD-protocol
   * split), `latent` for images.
   */
  score: z.enum(['latent', 'reconstruction']).optional().describe('`latent`: mean (z - z\')^2, the paper\'s score; `reconstruction`: mean |x - x\'|. Unset = `reconstruction` for rows (mean ROC-AUC 0.769 vs 0.716 over 15 ODDS sets, one PyOD-protocol split), `latent` for images.'),
  /** Images: rows are flattened height x width x channels pixels (channels last); with both set the networks are convolutional. The image harness fills these. */
  height: dim.optional(),
  width: dim.optional(),
  channels: z.number().int().positive().max(64).default(1),
  /** Convolutional networks: filters of the stride-2 conv blocks; the decoder mirrors them with stride-2 transposed convolutions. */
  filters: z.array(z.number().int().positive().max(1024)).min(1).max(6).default([32, 64]).describe('Convolutional networks: filters of the stride-2 conv blocks; the decoder mirrors them with stride-2 transposed convolutions.'),
  kernelSize: z.number().int().positive().max(9).default(3),
  ...trainingOptions,
  /** Standardise each feature first; unset = on for rows, off for images (pixels in [0, 1] are used as they are). */
  standardize: z.boolean().optional().describe('Standardise each feature first; unset = on for rows, off for images (pixels in [0, 1] are used as they are).'),
});
type Options = z.output<typeof schema>;
type Resolved = Omit<Options, 'standardize' | 'score'> & { standardize: boolean; score: 'latent' | 'reconstruction' };
type Shape = Pick<Options, 'hiddenSizes' | 'latent' | 'activation' | 'dropout' | 'batchNorm'>;
type ImageShape = Pick<Options, 'channels' | 'filters' | 'kernelSize' | 'batchNorm' | 'latent'> & { height: number; width: number; standardize: boolean };

/** Dense GANomaly: encoder and re-encoder D-h1-..-latent, decoder latent-..-h1-D, discriminator D-h1-..-hk then a logit. */
export function denseGanSpec(features: number, o: Shape): ModelSpec {
  const encoder = (): LayerSpecInput[] => [...denseBlocks(o.hiddenSizes, o), { type: 'dense', units: o.latent }];
  const disc: LayerSpecInput[] = denseBlocks(o.hiddenSizes, { ...o, activation: 'leakyRelu' });
  return parseModelSpec({
    networks: {
      encoder: { input: [features], layers: encoder() },
      decoder: { input: [o.latent], layers: [...denseBlocks([...o.hiddenSizes].reverse(), o), { type: 'dense', units: features }] },
      reEncoder: { input: [features], layers: encoder() },
      discriminator: { input: [features], layers: disc },
      discriminatorHead: { input: [o.hiddenSizes[o.hiddenSizes.length - 1]!], layers: [{ type: 'dense', units: 1 }] },
    },
  });
}

/** DCGAN blocks: stride-2 conv, batch norm (not on the first block), leaky ReLU. */
function convDown(o: ImageShape): LayerSpecInput[] {
  const out: LayerSpecInput[] = [];
  o.filters.forEach((f, i) => {
    out.push({ type: 'conv2d', filters: f, kernelSize: o.kernelSize, strides: 2, padding: 'same', init: 'fanInUniform' });
    if (o.batchNorm && i > 0) out.push({ type: 'batchNorm' });
    out.push({ type: 'activation', fn: 'leakyRelu' });
  });
  out.push({ type: 'flatten' });
  return out;
}

/**
 * Convolutional GANomaly (DCGAN-style, as Akcay et al.): encoders and discriminator are stride-2
 * conv blocks then a dense layer to the code (or, for the discriminator, the flattened features);
 * the decoder a dense layer back to the smallest feature map, then stride-2 transposed conv blocks
 * (batch norm, ReLU), the last to `channels` with a sigmoid on raw pixels (linear if standardised).
 * Height and width must be divisible by 2^blocks so the output has the input's shape.
 */
export function convGanSpec(o: ImageShape): ModelSpec {
  const div = 2 ** o.filters.length;
  if (o.height % div !== 0 || o.width % div !== 0) {
    throw new DataError(`gan: height and width (${o.height}x${o.width}) must be divisible by ${div} (2^${o.filters.length} filter blocks)`);
  }
  const input = [o.height, o.width, o.channels];
  const [h, w] = [o.height / div, o.width / div];
  const last = o.filters[o.filters.length - 1]!;
  const up: LayerSpecInput[] = [{ type: 'dense', units: h * w * last }];
  if (o.batchNorm) up.push({ type: 'batchNorm' });
  up.push({ type: 'activation', fn: 'relu' }, { type: 'reshape', targetShape: [h, w, last] });
  for (const f of [...o.filters].reverse().slice(1)) {
    up.push({ type: 'conv2dTranspose', filters: f, kernelSize: o.kernelSize, strides: 2, padding: 'same', init: 'fanInUniform' });
    if (o.batchNorm) up.push({ type: 'batchNorm' });
    up.push({ type: 'activation', fn: 'relu' });
  }
  const out = o.standardize ? 'linear' : 'sigmoid';
  up.push({ type: 'conv2dTranspose', filters: o.channels, kernelSize: o.kernelSize, strides: 2, padding: 'same', activation: out, init: 'fanInUniform' });
  const encoder = (): LayerSpecInput[] => [...convDown(o), { type: 'dense', units: o.latent }];
  return parseModelSpec({
    networks: {
      encoder: { input, layers: encoder() },
      decoder: { input: [o.latent], layers: up },
      reEncoder: { input, layers: encoder() },
      discriminator: { input, layers: convDown(o) },
      discriminatorHead: { input: [h * w * last], layers: [{ type: 'dense', units: 1 }] },
    },
  });
}

/**
 * GANomaly (Akcay, Atapour-Abarghouei & Breckon, ACCV 2018): an encoder-decoder-encoder generator
 * trained adversarially against a discriminator on normal(-ish) rows. The generator learns to
 * reconstruct x (L1), to keep the code of its reconstruction close to the code of x, and to
 * produce reconstructions whose discriminator features match those of real rows. An anomaly,
 * which the generator has not learnt to reconstruct, gets a code z' far from its z. The engine
 * carries out the two-player training (loss 'ganomaly'); this detector only supplies the networks.
 */
class Gan extends DeepDetector<Resolved> {
  readonly name = 'gan';

  private get image(): ImageShape | undefined {
    const o = this.options;
    return o.height === undefined || o.width === undefined ? undefined : { ...o, height: o.height, width: o.width };
  }

  override async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    const im = this.image;
    if (im) checkImageRows(this.name, im, X);
    await super.fit(X, ctx);
  }

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const o = this.options;
    const im = this.image;
    const spec = im ? convGanSpec(im) : denseGanSpec(X.cols, o);
    const loss: LossSpec = {
      kind: 'ganomaly',
      encoder: 'encoder',
      decoder: 'decoder',
      reEncoder: 'reEncoder',
      discriminator: 'discriminator',
      discriminatorHead: 'discriminatorHead',
      latent: o.latent,
      adversarialWeight: o.adversarialWeight,
      contextualWeight: o.contextualWeight,
      encoderWeight: o.encoderWeight,
      score: o.score,
    };
    return withModel(engine, spec, o.seed, (m) => this.trainBuilt(engine, m, X, loss, ctx));
  }
}

function resolve(o: Options): Resolved & Readonly<Record<string, Json>> {
  if ((o.height === undefined) !== (o.width === undefined)) {
    throw new OptionsError(`gan: images need both 'height' and 'width' (got only '${o.height === undefined ? 'width' : 'height'}')`);
  }
  const rows = o.height === undefined;
  return { ...o, standardize: o.standardize ?? rows, score: o.score ?? (rows ? 'reconstruction' : 'latent') } as Resolved & Readonly<Record<string, Json>>;
}

export const gan = defineDetector(
  {
    name: 'gan',
    family: 'deep',
    summary: 'GANomaly: adversarially trained encoder-decoder-encoder (dense, or conv on images); score = ||z - z\'||^2 (images) or |x - x\'| (rows)',
    citation: 'Akcay, Atapour-Abarghouei & Breckon, GANomaly: Semi-Supervised Anomaly Detection via Adversarial Training (ACCV 2018)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new Gan(resolve(o)),
);
