import { z } from 'zod';
import { DataError, OptionsError } from '../core/errors.js';

/**
 * Networks as plain, validated data. A spec says what to compute, never how: no functions, no
 * engine objects. Any engine (TF.js today, a native one later) builds the same network from the
 * same spec, and the parameter layout below (names, shapes, order) is part of the contract, so
 * weights move between engines and into model files unchanged.
 *
 * Conventions (those of Keras, channels-last):
 *  - tensors are [batch, ...shape]; images are [height, width, channels]; sequences [time, features];
 *  - dense kernel [in, units]; conv2d kernel [kh, kw, inChannels, filters];
 *    conv2dTranspose kernel [kh, kw, filters, inChannels];
 *  - conv1d reads a sequence [time, channels], kernel [kernelSize, inChannels, filters], stride 1;
 *    with dilation d, output step t reads input steps t - (k-1-j) d for j = 0..k-1 (causal
 *    padding: zeros before the start; `same`: zeros split before and after, the extra one after;
 *    `valid`: none, so the sequence shortens by (k-1) d);
 *  - lstm kernel [features, 4 units], recurrentKernel [units, 4 units], bias [4 units], gates in the
 *    order input, forget, cell, output; sigmoid gates, tanh cell.
 */

export const activationSchema = z.enum(['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus']);
export type Activation = z.infer<typeof activationSchema>;

const units = z.number().int().positive().max(1 << 16);

/**
 * Kernel (and bias) initialisation: `glorotUniform` (Keras' default; biases 0) or `fanInUniform`,
 * U(+-1/sqrt(fan_in)) for kernel and bias alike (PyTorch's default for nn.Linear / nn.Conv2d).
 */
export const initSchema = z.enum(['glorotUniform', 'fanInUniform']).default('glorotUniform');
const kernel = z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]);

export const layerSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('dense'),
      units,
      activation: activationSchema.default('linear'),
      useBias: z.boolean().default(true),
      init: initSchema,
    })
    .strict(),
  z.object({ type: z.literal('activation'), fn: activationSchema }).strict(),
  z.object({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }).strict(),
  z
    .object({
      type: z.literal('batchNorm'),
      /** Moving statistics: moving = momentum * moving + (1 - momentum) * batch (Keras convention; PyTorch's 0.1 is 0.9 here). */
      momentum: z.number().min(0).lt(1).default(0.9),
      epsilon: z.number().positive().default(1e-5),
      /** Learn a shift (beta). Deep SVDD turns it off: a bias lets the network collapse onto the center. */
      center: z.boolean().default(true),
      /** Learn a scale (gamma). */
      scale: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      type: z.literal('conv2d'),
      filters: units,
      kernelSize: kernel,
      strides: kernel.default(1),
      padding: z.enum(['same', 'valid']).default('same'),
      activation: activationSchema.default('linear'),
      useBias: z.boolean().default(true),
      init: initSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('conv2dTranspose'),
      filters: units,
      kernelSize: kernel,
      strides: kernel.default(1),
      padding: z.enum(['same', 'valid']).default('same'),
      activation: activationSchema.default('linear'),
      useBias: z.boolean().default(true),
      init: initSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('conv1d'),
      filters: units,
      kernelSize: z.number().int().positive(),
      dilation: z.number().int().positive().default(1),
      padding: z.enum(['causal', 'same', 'valid']).default('causal'),
      activation: activationSchema.default('linear'),
      useBias: z.boolean().default(true),
      init: initSchema,
    })
    .strict(),
  z.object({ type: z.literal('lstm'), units, returnSequences: z.boolean().default(false) }).strict(),
  /** [features] -> [times, features]: the same vector at every step (a sequence decoder's input). */
  z.object({ type: z.literal('repeatVector'), times: units }).strict(),
  z.object({ type: z.literal('flatten') }).strict(),
  z.object({ type: z.literal('reshape'), targetShape: z.array(units).min(1) }).strict(),
]);
export type LayerSpec = z.output<typeof layerSchema>;
export type LayerSpecInput = z.input<typeof layerSchema>;

export const networkSchema = z
  .object({
    /** Shape of one example, without the batch axis; a data row holds prod(input) numbers. */
    input: z.array(units).min(1).max(3),
    layers: z.array(layerSchema),
  })
  .strict();
export type NetworkSpec = z.output<typeof networkSchema>;

/**
 * The range a VAE encoder's logVar is clamped to before use, so that exp() stays finite in float32
 * when an input lies far outside the training range (a near-constant training channel, standardised,
 * puts later values hundreds of sds out). Every engine, and any code scoring from the encoder's raw
 * output, applies the same bounds.
 */
export const VAE_LOG_VAR_BOUNDS = { min: -30, max: 20 } as const;

/** One or more named networks trained together (an autoencoder has one; a VAE an encoder and a decoder). */
export const modelSchema = z
  .object({ networks: z.record(z.string().regex(/^[a-zA-Z][\w-]*$/), networkSchema) })
  .strict()
  .refine((m) => Object.keys(m.networks).length > 0, 'a model needs at least one network');
export type ModelSpec = z.output<typeof modelSchema>;
export type ModelSpecInput = z.input<typeof modelSchema>;

/**
 * Named losses. Each defines a per-row loss (used for scores) and a training objective, the mean
 * of the per-row loss over the batch (times a constant where noted).
 */
export const lossSchema = z.discriminatedUnion('kind', [
  /** Reconstruction / regression: per row the sum of squared errors; objective the mean over all elements (MSE). */
  z.object({ kind: z.literal('mse'), network: z.string().default('main') }).strict(),
  /**
   * Variational autoencoder (Kingma & Welling 2014). The encoder outputs [mu, logVar] (2 x latent
   * columns); training samples z = mu + exp(logVar / 2) * eps with seeded eps; per row
   * 0.5 * ||x - decoder(z)||^2 + beta * KL(q(z|x) || N(0, I)), the negative ELBO of a unit-variance
   * Gaussian decoder without its constant. KL warm-up: beta grows linearly from 0 at epoch 0 to
   * `beta` at epoch `warmupEpochs`. Inference (validation loss, scores) uses z = mu and the full beta,
   * so it is deterministic and comparable across epochs. logVar is clamped to VAE_LOG_VAR_BOUNDS first.
   */
  z
    .object({
      kind: z.literal('vae-elbo'),
      encoder: z.string().default('encoder'),
      decoder: z.string().default('decoder'),
      latent: units,
      beta: z.number().positive().default(1),
      warmupEpochs: z.number().int().nonnegative().default(0),
    })
    .strict(),
  /** Deep SVDD (Ruff et al. 2018): per row the squared distance of the network's output to `center`. */
  z.object({ kind: z.literal('svdd-distance'), network: z.string().default('main'), center: z.array(z.number()).min(1) }).strict(),
  /**
   * Binary cross-entropy on a logit: the network gives one logit z per row, p = sigmoid(z), the
   * target y (one column) is 1 for the positive class. Per row
   * -(positiveWeight y (1 - p)^gamma log p + negativeWeight (1 - y) p^gamma log(1 - p));
   * gamma 0 is weighted cross-entropy, gamma > 0 the focal loss (Lin et al. 2017, whose alpha is
   * positiveWeight = alpha, negativeWeight = 1 - alpha).
   */
  z
    .object({
      kind: z.literal('binary-cross-entropy'),
      network: z.string().default('main'),
      positiveWeight: z.number().positive().default(1),
      negativeWeight: z.number().positive().default(1),
      gamma: z.number().nonnegative().default(0),
    })
    .strict(),
  /**
   * Multi-class cross-entropy on logits: `network` (then `head`, when given) gives K >= 2 logits
   * per row, and the target y is one column holding each row's class index in [0, K). Per row
   * -log softmax(logits)[y]. With a head, `network` alone is a feature extractor: a detector can
   * train a classifier and then read the features it learned.
   */
  z
    .object({
      kind: z.literal('softmax-cross-entropy'),
      network: z.string().default('main'),
      head: z.string().optional(),
    })
    .strict(),
  /**
   * Deviation loss (Pang et al., KDD 2019, DevNet): the network gives one anomaly score phi per row,
   * dev = (phi - referenceMean) / referenceSd with the reference statistics of scores drawn from a
   * prior (N(0, 1) in the paper), and per row (1 - y) |dev| + y max(0, margin - dev): unlabeled rows
   * (y = 0) are pulled to the reference mean, labeled anomalies (y = 1) pushed `margin` standard
   * deviations above it. The reference is plain numbers so that the loss is deterministic.
   */
  z
    .object({
      kind: z.literal('deviation'),
      network: z.string().default('main'),
      referenceMean: z.number(),
      referenceSd: z.number().positive(),
      margin: z.number().positive().default(5),
    })
    .strict(),
  /**
   * GANomaly (Akcay et al. 2018), trained adversarially by two players with their own optimizers.
   * The generator is `encoder` (x -> z, `latent` values), `decoder` (z -> x') and `reEncoder`
   * (x' -> z'); the discriminator is `discriminator` (x -> features f(x)) followed by
   * `discriminatorHead` (features -> one real/fake logit). Parameters of the two discriminator
   * networks (`discriminator.*`, `discriminatorHead.*`) are updated only by the discriminator's
   * step, every other network's only by the generator's (see `adversarialNetworks`).
   *
   * Per step: generator objective, per row
   *   adversarialWeight * mean((f(x) - f(x'))^2) + contextualWeight * mean|y - x'| + encoderWeight * mean((z - z')^2)
   * (feature matching, L1 reconstruction, latent consistency; means over each term's values, as
   * the reference implementation), then discriminator objective, per row
   *   BCE(D(x), real) + BCE(D(x'), fake) = softplus(-D(x)) + softplus(D(x')),
   * on the same x' (held fixed). Per-row loss, inference mode: `score` 'latent' is the paper's
   * anomaly score mean((z - z')^2); 'reconstruction' is mean|y - x'|. Validation monitors the
   * generator objective.
   */
  z
    .object({
      kind: z.literal('ganomaly'),
      encoder: z.string().default('encoder'),
      decoder: z.string().default('decoder'),
      reEncoder: z.string().default('reEncoder'),
      discriminator: z.string().default('discriminator'),
      discriminatorHead: z.string().default('discriminatorHead'),
      latent: units,
      adversarialWeight: z.number().nonnegative().default(1),
      contextualWeight: z.number().nonnegative().default(50),
      encoderWeight: z.number().nonnegative().default(1),
      score: z.enum(['latent', 'reconstruction']).default('latent'),
    })
    .strict(),
]);
export type LossSpec = z.output<typeof lossSchema>;
export type LossSpecInput = z.input<typeof lossSchema>;

/**
 * The networks an adversarial loss trains as its discriminator, with an optimizer of their own;
 * every other network of the model is the generator, trained by a second optimizer. Undefined for
 * a loss with a single player (one optimizer over all parameters).
 */
export function adversarialNetworks(loss: LossSpec): string[] | undefined {
  return loss.kind === 'ganomaly' ? [loss.discriminator, loss.discriminatorHead] : undefined;
}

export interface ParamSpec {
  /** `<network>.<layer index>.<param>`, e.g. `main.0.kernel`. */
  name: string;
  shape: number[];
  /** Updated by the optimizer; batch-norm moving statistics are not. */
  trainable: boolean;
  init: 'glorotUniform' | 'fanInUniform' | 'orthogonal' | 'zeros' | 'ones' | 'lstmBias';
  /** For `fanInUniform`: the fan-in of the layer the parameter belongs to. */
  fanIn?: number;
}

export interface LayerShapes {
  input: number[];
  output: number[];
  params: ParamSpec[];
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
/** A kernel size or stride as [rows, columns]. */
export const pair = (k: number | [number, number]): [number, number] => (typeof k === 'number' ? [k, k] : k);

function convOut(size: number, k: number, s: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

function convTransposeOut(size: number, k: number, s: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? size * s : (size - 1) * s + k;
}

/**
 * Walks a network's layers, checking that each fits the shape it receives, and returns every
 * layer's input and output shape and parameters. Throws OptionsError naming the layer otherwise.
 */
export function networkShapes(name: string, net: NetworkSpec): LayerShapes[] {
  let shape = [...net.input];
  const out: LayerShapes[] = [];
  net.layers.forEach((l, i) => {
    const where = `network '${name}' layer ${i} (${l.type})`;
    const fail = (msg: string): never => {
      throw new OptionsError(`${where}: ${msg} (input shape [${shape.join(', ')}])`);
    };
    const p = (param: string, s: number[], init: ParamSpec['init'], trainable = true, fanIn?: number): ParamSpec => ({
      name: `${name}.${i}.${param}`,
      shape: s,
      trainable,
      init,
      ...(fanIn === undefined ? {} : { fanIn }),
    });
    const params: ParamSpec[] = [];
    /** A convolution's kernel and bias: PyTorch's fan-in uniform, or Glorot and zeros. */
    const kernel = (shape: number[], fanIn: number, l: { init: 'fanInUniform' | 'glorotUniform'; useBias: boolean; filters: number }): void => {
      const fan = l.init === 'fanInUniform';
      params.push(fan ? p('kernel', shape, 'fanInUniform', true, fanIn) : p('kernel', shape, 'glorotUniform'));
      if (l.useBias) params.push(fan ? p('bias', [l.filters], 'fanInUniform', true, fanIn) : p('bias', [l.filters], 'zeros'));
    };
    let next: number[];
    const last = shape[shape.length - 1]!;
    switch (l.type) {
      case 'dense':
        next = [...shape.slice(0, -1), l.units];
        if (l.init === 'fanInUniform') {
          params.push(p('kernel', [last, l.units], 'fanInUniform', true, last));
          if (l.useBias) params.push(p('bias', [l.units], 'fanInUniform', true, last));
        } else {
          params.push(p('kernel', [last, l.units], 'glorotUniform'));
          if (l.useBias) params.push(p('bias', [l.units], 'zeros'));
        }
        break;
      case 'activation':
      case 'dropout':
        next = shape;
        break;
      case 'batchNorm':
        next = shape;
        if (l.scale) params.push(p('gamma', [last], 'ones'));
        if (l.center) params.push(p('beta', [last], 'zeros'));
        params.push(p('movingMean', [last], 'zeros', false), p('movingVariance', [last], 'ones', false));
        break;
      case 'conv2d':
      case 'conv2dTranspose': {
        if (shape.length !== 3) fail('needs an input of shape [height, width, channels]');
        const [kh, kw] = pair(l.kernelSize);
        const [sh, sw] = pair(l.strides);
        const [h, w, c] = shape as [number, number, number];
        const f = l.type === 'conv2d' ? convOut : convTransposeOut;
        next = [f(h, kh, sh, l.padding), f(w, kw, sw, l.padding), l.filters];
        if (next[0]! < 1 || next[1]! < 1) fail(`kernel ${kh}x${kw} does not fit`);
        const kernelShape = l.type === 'conv2d' ? [kh, kw, c, l.filters] : [kh, kw, l.filters, c];
        // PyTorch's fan-in: in-channels x kernel for Conv2d, out-channels x kernel for ConvTranspose2d.
        kernel(kernelShape, kh * kw * (l.type === 'conv2d' ? c : l.filters), l);
        break;
      }
      case 'conv1d': {
        if (shape.length !== 2) fail('needs an input of shape [time, channels]');
        const span = (l.kernelSize - 1) * l.dilation;
        next = [l.padding === 'valid' ? shape[0]! - span : shape[0]!, l.filters];
        if (next[0]! < 1) fail(`kernel ${l.kernelSize} at dilation ${l.dilation} spans ${span + 1} steps`);
        kernel([l.kernelSize, last, l.filters], l.kernelSize * last, l);
        break;
      }
      case 'repeatVector':
        if (shape.length !== 1) fail('needs a flat input');
        next = [l.times, last];
        break;
      case 'lstm':
        if (shape.length !== 2) fail('needs an input of shape [time, features]');
        next = l.returnSequences ? [shape[0]!, l.units] : [l.units];
        params.push(
          p('kernel', [last, 4 * l.units], 'glorotUniform'),
          p('recurrentKernel', [l.units, 4 * l.units], 'orthogonal'),
          p('bias', [4 * l.units], 'lstmBias'),
        );
        break;
      case 'flatten':
        next = [prod(shape)];
        break;
      case 'reshape':
        if (prod(l.targetShape) !== prod(shape)) fail(`cannot reshape ${prod(shape)} values to [${l.targetShape.join(', ')}]`);
        next = [...l.targetShape];
        break;
    }
    out.push({ input: shape, output: next, params });
    shape = next;
  });
  return out;
}

export function outputShape(name: string, net: NetworkSpec): number[] {
  const s = networkShapes(name, net);
  return s.length ? s[s.length - 1]!.output : [...net.input];
}

/** All parameters of a model, in a fixed order (networks in key order, then layers, then params). */
export function modelParams(spec: ModelSpec): ParamSpec[] {
  return Object.entries(spec.networks).flatMap(([name, net]) => networkShapes(name, net).flatMap((l) => l.params));
}

export const size = prod;

function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}

/** Validates a model spec: schema, then shapes through every layer. */
export function parseModelSpec(raw: unknown): ModelSpec {
  const r = modelSchema.safeParse(raw);
  if (!r.success) throw new OptionsError(`invalid network spec: ${zodMessage(r.error)}`);
  for (const [name, net] of Object.entries(r.data.networks)) networkShapes(name, net);
  return r.data;
}

/**
 * Validates a loss against the model it will train: the networks it names must exist and fit each
 * other (OptionsError) and the data (DataError).
 */
export function parseLossSpec(raw: unknown, model: ModelSpec, inputSize: number, targetSize = inputSize): LossSpec {
  const r = lossSchema.safeParse(raw);
  if (!r.success) throw new OptionsError(`invalid loss spec: ${zodMessage(r.error)}`);
  const loss = r.data;
  const net = (name: string): NetworkSpec => {
    const n = model.networks[name];
    if (!n) throw new OptionsError(`loss '${loss.kind}' needs a network '${name}' (model has: ${Object.keys(model.networks).join(', ')})`);
    return n;
  };
  const takes = (what: string, netSize: number, dataSize: number): void => {
    if (netSize !== dataSize) throw new DataError(`${what} takes ${netSize} values per row, the data has ${dataSize}`);
  };
  const gives = (what: string, got: number, want: number, needed: string): void => {
    if (got !== want) throw new OptionsError(`loss '${loss.kind}': ${what} gives ${got} values per row, ${needed} ${want}`);
  };
  switch (loss.kind) {
    case 'mse': {
      const n = net(loss.network);
      takes(`network '${loss.network}'`, prod(n.input), inputSize);
      const out = prod(outputShape(loss.network, n));
      if (out !== targetSize) throw new DataError(`network '${loss.network}' gives ${out} values per row, the target has ${targetSize}`);
      break;
    }
    case 'vae-elbo': {
      const e = net(loss.encoder);
      const d = net(loss.decoder);
      takes(`encoder '${loss.encoder}'`, prod(e.input), inputSize);
      gives(`encoder '${loss.encoder}'`, prod(outputShape(loss.encoder, e)), 2 * loss.latent, 'mean and log-variance need');
      gives(`decoder '${loss.decoder}' input`, prod(d.input), loss.latent, 'the latent size is');
      gives(`decoder '${loss.decoder}'`, prod(outputShape(loss.decoder, d)), inputSize, 'the data has');
      break;
    }
    case 'svdd-distance': {
      const n = net(loss.network);
      takes(`network '${loss.network}'`, prod(n.input), inputSize);
      gives(`network '${loss.network}'`, prod(outputShape(loss.network, n)), loss.center.length, 'the center has');
      break;
    }
    case 'binary-cross-entropy':
    case 'deviation': {
      const n = net(loss.network);
      takes(`network '${loss.network}'`, prod(n.input), inputSize);
      gives(`network '${loss.network}'`, prod(outputShape(loss.network, n)), 1, 'a score per row needs');
      if (targetSize !== 1) throw new DataError(`loss '${loss.kind}' needs a target of one label per row, got ${targetSize} values per row`);
      break;
    }
    case 'softmax-cross-entropy': {
      const n = net(loss.network);
      takes(`network '${loss.network}'`, prod(n.input), inputSize);
      let classes = prod(outputShape(loss.network, n));
      if (loss.head !== undefined) {
        if (loss.head === loss.network) throw new OptionsError(`loss '${loss.kind}': the head must be another network than '${loss.network}'`);
        const h = net(loss.head);
        gives(`head '${loss.head}' input`, prod(h.input), classes, `network '${loss.network}' gives`);
        classes = prod(outputShape(loss.head, h));
      }
      if (classes < 2) throw new OptionsError(`loss '${loss.kind}' needs at least 2 logits per row, got ${classes}`);
      if (targetSize !== 1) throw new DataError(`loss '${loss.kind}' needs a target of one class index per row, got ${targetSize} values per row`);
      break;
    }
    case 'ganomaly': {
      const names = [loss.encoder, loss.decoder, loss.reEncoder, loss.discriminator, loss.discriminatorHead];
      if (new Set(names).size !== names.length) throw new OptionsError(`loss '${loss.kind}': its five networks must be distinct, got ${names.join(', ')}`);
      const [e, d, r, f, h] = names.map(net) as [NetworkSpec, NetworkSpec, NetworkSpec, NetworkSpec, NetworkSpec];
      takes(`encoder '${loss.encoder}'`, prod(e.input), inputSize);
      gives(`encoder '${loss.encoder}'`, prod(outputShape(loss.encoder, e)), loss.latent, 'the latent size is');
      gives(`decoder '${loss.decoder}' input`, prod(d.input), loss.latent, 'the latent size is');
      gives(`decoder '${loss.decoder}'`, prod(outputShape(loss.decoder, d)), inputSize, 'the data has');
      if (targetSize !== inputSize) throw new DataError(`loss '${loss.kind}' reconstructs its input: the target has ${targetSize} values per row, the input ${inputSize}`);
      gives(`reEncoder '${loss.reEncoder}' input`, prod(r.input), inputSize, 'the data has');
      gives(`reEncoder '${loss.reEncoder}'`, prod(outputShape(loss.reEncoder, r)), loss.latent, 'the latent size is');
      gives(`discriminator '${loss.discriminator}' input`, prod(f.input), inputSize, 'the data has');
      gives(`discriminatorHead '${loss.discriminatorHead}' input`, prod(h.input), prod(outputShape(loss.discriminator, f)), 'the discriminator gives');
      gives(`discriminatorHead '${loss.discriminatorHead}'`, prod(outputShape(loss.discriminatorHead, h)), 1, 'a real/fake logit needs');
      break;
    }
  }
  return loss;
}

/** Logits per row of a softmax-cross-entropy loss: the head's output size, else the network's. */
function classCount(loss: Extract<LossSpec, { kind: 'softmax-cross-entropy' }>, model: ModelSpec): number {
  const name = loss.head ?? loss.network;
  return prod(outputShape(name, model.networks[name]!));
}

/**
 * Checks target values a loss reads as labels (after parseLossSpec): class indices must be
 * integers in [0, K), else a row would silently add nothing to the loss.
 */
export function checkLossTarget(loss: LossSpec, model: ModelSpec, y: { data: Float64Array }): void {
  if (loss.kind !== 'softmax-cross-entropy') return;
  const k = classCount(loss, model);
  for (let i = 0; i < y.data.length; i++) {
    const v = y.data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= k) throw new DataError(`loss '${loss.kind}': target row ${i} is ${v}, not a class index in [0, ${k})`);
  }
}
