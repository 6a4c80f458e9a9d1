import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FormatError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { conv2d, conv2dTranspose, convGeometry } from './conv.js';
import { networkShapes, pair, size, type Activation, type LayerSpec, type NetworkSpec, type ParamSpec } from '../spec.js';

/**
 * A network spec built on TF.js. Dense and LSTM layers come from tfjs-layers (their kernels, fused
 * where TF.js fuses them); convolutions are conv.ts's (forward-conv-only gradients; on native TensorFlow,
 * tfjs-layers' own); batch norm, dropout and activations are written on
 * tfjs-core here because Vigil needs what tfjs-layers lacks: a batch norm without shift/scale
 * (Deep SVDD), dropout masks that are seeded yet differ every step, and leaky ReLU anywhere; 1-D
 * convolutions are written on tfjs-core too (see conv1dStage).
 * Parameters follow the layout of `networkShapes` so weights are engine-independent.
 */

export interface Param {
  spec: ParamSpec;
  variable: tf.Variable;
}

interface Stage {
  apply(x: tf.Tensor, training: boolean, seed: number): tf.Tensor;
  params: Param[];
  dispose(): void;
}

/** Mixes a step seed with a salt into an independent 32-bit seed (for each dropout / noise draw). */
export function mixSeed(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const TFL_ACTIVATIONS = new Set<Activation>(['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus']);

function activate(x: tf.Tensor, fn: Activation): tf.Tensor {
  switch (fn) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.01);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softplus':
      return tf.softplus(x);
  }
}

/** The activation tfjs-layers fuses into a layer, and what must follow it (leaky ReLU). */
function fusedActivation(a: Activation): { activation: 'linear' | Exclude<Activation, 'leakyRelu'>; post?: Activation } {
  return TFL_ACTIVATIONS.has(a) ? { activation: a as Exclude<Activation, 'leakyRelu'> } : { activation: 'linear', post: a };
}

let uid = 0;

function ownVariable(p: ParamSpec): tf.Variable {
  const zeros = tf.zeros(p.shape);
  const v = tf.variable(zeros, p.trainable, `vigil_${++uid}_${p.name}`);
  zeros.dispose(); // the variable holds its own reference to the buffer
  return v;
}

/** Wraps a tfjs-layers layer: built symbolically on the known input shape, then its variables mapped to our params. */
function tflStage(layer: tfl.layers.Layer, input: number[], params: ParamSpec[], post?: Activation): Stage {
  layer.apply(tfl.input({ shape: input }));
  const vars = layer.weights.map((w) => w.read() as tf.Variable);
  if (vars.length !== params.length) throw new Error(`internal: ${layer.getClassName()} has ${vars.length} weights, spec has ${params.length}`);
  const mapped = params.map((spec, i) => {
    const v = vars[i]!;
    if (v.shape.join('x') !== spec.shape.join('x')) {
      throw new Error(`internal: ${spec.name} is [${v.shape}] in TF.js, [${spec.shape}] in the spec`);
    }
    return { spec, variable: v };
  });
  return {
    params: mapped,
    apply: (x, training) => {
      const y = layer.apply(x, { training }) as tf.Tensor;
      return post ? activate(y, post) : y;
    },
    dispose: () => void layer.dispose(),
  };
}

function batchNormStage(l: Extract<LayerSpec, { type: 'batchNorm' }>, params: ParamSpec[]): Stage {
  const byName = new Map(params.map((p) => [p.name.slice(p.name.lastIndexOf('.') + 1), { spec: p, variable: ownVariable(p) }]));
  const gamma = byName.get('gamma')?.variable;
  const beta = byName.get('beta')?.variable;
  const movingMean = byName.get('movingMean')!.variable;
  const movingVariance = byName.get('movingVariance')!.variable;
  return {
    params: [...byName.values()],
    apply: (x, training) => {
      if (!training) return tf.batchNorm(x, movingMean, movingVariance, beta, gamma, l.epsilon);
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(x, axes);
      const n = x.size / x.shape[x.shape.length - 1]!;
      // Moving statistics are a side effect outside the gradient; variance unbiased as in PyTorch.
      tf.tidy(() => {
        const m = l.momentum;
        movingMean.assign(tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)));
        const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
        movingVariance.assign(tf.add(tf.mul(movingVariance, m), tf.mul(unbiased, 1 - m)));
      });
      // Written out rather than tf.batchNorm, whose gradient fails without scale or offset.
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, l.epsilon)));
      if (gamma) y = tf.mul(y, gamma);
      if (beta) y = tf.add(y, beta);
      return y;
    },
    dispose: () => byName.forEach((p) => p.variable.dispose()),
  };
}

/**
 * Inverted-dropout mask (kept entries 1 / (1 - rate), dropped 0) drawn from Vigil's own Rng, so the
 * masks depend only on the seed, not on the engine.
 */
export function dropoutMask(n: number, rate: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) mask[i] = rng.next() >= rate ? keep : 0;
  return mask;
}

/** Standard normal noise from Vigil's own Rng (the VAE's reparameterisation). */
export function normalNoise(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

function dropoutStage(rate: number, salt: number): Stage {
  return {
    params: [],
    apply: (x, training, seed) => {
      if (!training || rate === 0) return x;
      return tf.mul(x, tf.tensor(dropoutMask(x.size, rate, mixSeed(seed, salt)), x.shape, 'float32'));
    },
    dispose: () => {},
  };
}

/**
 * Dilated 1-D convolution as one matrix product: the k dilated shifts of the (padded) input are
 * laid side by side, [batch, time, k * in], and multiplied by the kernel seen as [k * in, filters].
 * Written this way rather than with tf.conv1d because the WASM backend lacks the filter gradient
 * of a convolution (it would run on the CPU fallback), while slices, concat and matMul are native.
 */
function conv1dStage(l: Extract<LayerSpec, { type: 'conv1d' }>, input: number[], output: number[], params: ParamSpec[]): Stage {
  const own = params.map((spec) => ({ spec, variable: ownVariable(spec) }));
  const [kernel, bias] = own.map((p) => p.variable);
  const cin = input[1]!;
  const outSteps = output[0]!;
  const span = (l.kernelSize - 1) * l.dilation;
  const before = l.padding === 'causal' ? span : l.padding === 'same' ? Math.floor(span / 2) : 0;
  const after = l.padding === 'valid' ? 0 : span - before;
  return {
    params: own,
    apply: (x) => {
      const n = x.shape[0]!;
      const padded = before + after > 0 ? tf.pad(x, [[0, 0], [before, after], [0, 0]]) : x;
      const shifts: tf.Tensor[] = [];
      for (let j = 0; j < l.kernelSize; j++) shifts.push(tf.slice(padded, [0, j * l.dilation, 0], [n, outSteps, cin]));
      const cols = shifts.length === 1 ? shifts[0]! : tf.concat(shifts, 2);
      let y: tf.Tensor = tf.matMul(tf.reshape(cols, [n * outSteps, l.kernelSize * cin]), tf.reshape(kernel!, [l.kernelSize * cin, l.filters]));
      if (bias) y = tf.add(y, bias);
      return activate(tf.reshape(y, [n, outSteps, l.filters]), l.activation);
    },
    dispose: () => own.forEach((p) => p.variable.dispose()),
  };
}

function repeatStage(times: number): Stage {
  return { params: [], apply: (x) => tf.tile(tf.expandDims(x, 1), [1, times, 1]), dispose: () => {} };
}

function shapeStage(target: number[]): Stage {
  return { params: [], apply: (x) => tf.reshape(x, [x.shape[0]!, ...target]), dispose: () => {} };
}

/** Native TensorFlow keeps its own conv kernels; the other backends run the im2col convolutions of conv.ts. */
function tflConvStage(l: Extract<LayerSpec, { type: 'conv2d' | 'conv2dTranspose' }>, params: ParamSpec[], input: number[]): Stage {
  const f = fusedActivation(l.activation);
  const args = {
    filters: l.filters,
    kernelSize: l.kernelSize,
    strides: l.strides,
    padding: l.padding,
    activation: f.activation,
    useBias: l.useBias,
    dataFormat: 'channelsLast' as const,
    kernelInitializer: 'zeros' as const,
  };
  const layer = l.type === 'conv2d' ? tfl.layers.conv2d(args) : tfl.layers.conv2dTranspose(args);
  return tflStage(layer, input, params, f.post);
}

function convStage(l: Extract<LayerSpec, { type: 'conv2d' | 'conv2dTranspose' }>, input: number[], output: number[], params: ParamSpec[]): Stage {
  const [kh, kw] = pair(l.kernelSize);
  const [sh, sw] = pair(l.strides);
  // A transposed convolution is described by the convolution it transposes (output -> input).
  const g = l.type === 'conv2d' ? convGeometry(input[0]!, input[1]!, input[2]!, kh, kw, sh, sw, l.padding) : convGeometry(output[0]!, output[1]!, output[2]!, kh, kw, sh, sw, l.padding);
  const own = params.map((spec) => ({ spec, variable: ownVariable(spec) }));
  const kernel = own[0]!.variable as tf.Variable<tf.Rank.R4>;
  const bias = own[1]?.variable as tf.Variable<tf.Rank.R1> | undefined;
  const fused = l.activation === 'relu' ? 'relu' : 'linear';
  const op = l.type === 'conv2d' ? conv2d : conv2dTranspose;
  return {
    params: own,
    apply: (x) => {
      const y = op(x as tf.Tensor4D, kernel, bias, g, fused);
      return fused === l.activation ? y : activate(y, l.activation);
    },
    dispose: () => own.forEach((p) => p.variable.dispose()),
  };
}

/**
 * LSTM (spec.ts layout: gates input, forget, cell, output; sigmoid gates, tanh cell), written out
 * rather than tfjs-layers' LSTM. On the WASM backend a 32-unit LSTM step is a dozen small
 * kernels, and which of them cost depends on the pass (measured at 32 steps, 32 units, 8 features):
 *  - forward only (scoring): splitting the gate pre-activations into column blocks costs more
 *    than the matMul, and tanh 2.5x sigmoid, so each gate gets its own matMuls (nothing big is
 *    sliced) and tanh is 2 sigmoid(2x) - 1: 1.5-2x tfjs-layers' scoring speed at 64-2048 rows;
 *  - training: the backward pass of that form has twice the kernels and trained ~20% slower than
 *    tfjs-layers, so training makes as few as it can: one matMul of [x_t, h] with [W; U] for all
 *    four gates, one split, the activations (~10% faster than tfjs-layers).
 * Both compute the same function (tested against a direct definition in each form).
 */
function lstmStage(l: Extract<LayerSpec, { type: 'lstm' }>, input: number[], params: ParamSpec[]): Stage {
  const own = params.map((spec) => ({ spec, variable: ownVariable(spec) }));
  const [kernel, recurrent, bias] = own.map((p) => p.variable) as [tf.Variable, tf.Variable, tf.Variable];
  const [steps, features] = input as [number, number];
  const u = l.units;
  return {
    params: own,
    apply: (x, training) => {
      const n = x.shape[0]!;
      const xs = tf.unstack(tf.transpose(tf.reshape(x, [n, steps, features]), [1, 0, 2]), 0) as tf.Tensor2D[];
      const step = training ? wideStep(kernel, recurrent, bias) : perGateStep(kernel, recurrent, bias, features, u);
      let h: tf.Tensor2D | undefined;
      let c: tf.Tensor | undefined;
      const outputs: tf.Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        [h, c] = step(xs[t]!, h, c);
        if (l.returnSequences) outputs.push(h);
      }
      return l.returnSequences ? tf.stack(outputs, 1) : h!;
    },
    dispose: () => own.forEach((p) => p.variable.dispose()),
  };
}

type LstmStep = (x: tf.Tensor2D, h: tf.Tensor2D | undefined, c: tf.Tensor | undefined) => [tf.Tensor2D, tf.Tensor];

function wideStep(kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor): LstmStep {
  const both = tf.concat([kernel, recurrent], 0) as tf.Tensor2D;
  return (x, h, c) => {
    const z = h ? tf.fused.matMul({ a: tf.concat([x, h], 1) as tf.Tensor2D, b: both, bias }) : tf.fused.matMul({ a: x, b: kernel as tf.Tensor2D, bias });
    return cell(tf.split(z, 4, 1) as Gates, c, tf.tanh);
  };
}

function perGateStep(kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor, features: number, u: number): LstmStep {
  const gates = [0, 1, 2, 3].map((g) => ({
    w: tf.slice(kernel, [0, g * u], [features, u]) as tf.Tensor2D,
    r: tf.slice(recurrent, [0, g * u], [u, u]) as tf.Tensor2D,
    b: tf.slice(bias, [g * u], [u]),
  }));
  return (x, h, c) => {
    const z = gates.map(({ w, r, b }) => {
      const xw = tf.fused.matMul({ a: x, b: w, bias: b });
      return h ? tf.add(xw, tf.matMul(h, r)) : xw;
    });
    return cell(z as Gates, c, fastTanh);
  };
}

/** Pre-activations of the input, forget, cell and output gates. */
type Gates = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];

/** The cell update from the gates' pre-activations: c' = sigmoid(f) c + sigmoid(i) tanh(g), h = sigmoid(o) tanh(c'). */
function cell([i, f, g, o]: Gates, c: tf.Tensor | undefined, tanh: (x: tf.Tensor) => tf.Tensor): [tf.Tensor2D, tf.Tensor] {
  const ig = tf.mul(tf.sigmoid(i), tanh(g));
  const next = c ? tf.add(tf.mul(tf.sigmoid(f), c), ig) : ig;
  return [tf.mul(tf.sigmoid(o), tanh(next)) as tf.Tensor2D, next];
}

/** tanh(x) = 2 sigmoid(2x) - 1: the WASM backend's sigmoid is 2.5x faster than its tanh. */
function fastTanh(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1);
}

function buildStage(l: LayerSpec, index: number, input: number[], output: number[], params: ParamSpec[]): Stage {
  switch (l.type) {
    case 'dense': {
      const f = fusedActivation(l.activation);
      const layer = tfl.layers.dense({ units: l.units, activation: f.activation, useBias: l.useBias, kernelInitializer: 'zeros' });
      return tflStage(layer, input, params, f.post);
    }
    case 'conv2d':
    case 'conv2dTranspose':
      if (tf.getBackend() !== 'tensorflow') return convStage(l, input, output, params);
      return tflConvStage(l, params, input);
    case 'lstm':
      return lstmStage(l, input, params);
    case 'conv1d':
      return conv1dStage(l, input, output, params);
    case 'repeatVector':
      return repeatStage(l.times);
    case 'batchNorm':
      return batchNormStage(l, params);
    case 'dropout':
      return dropoutStage(l.rate, index);
    case 'activation':
      return { params: [], apply: (x) => activate(x, l.fn), dispose: () => {} };
    case 'flatten':
    case 'reshape':
      return shapeStage(output);
  }
}

export class TfNetwork {
  readonly params: Param[];
  readonly inputSize: number;
  readonly outputSize: number;
  /** Floats per row in the widest of the input and the layer outputs. */
  readonly widestRow: number;
  private readonly stages: Stage[];

  constructor(
    readonly name: string,
    readonly spec: NetworkSpec,
  ) {
    const shapes = networkShapes(name, spec);
    this.stages = [];
    try {
      spec.layers.forEach((l, i) => this.stages.push(buildStage(l, i, shapes[i]!.input, shapes[i]!.output, shapes[i]!.params)));
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.params = this.stages.flatMap((s) => s.params);
    this.inputSize = size(spec.input);
    this.outputSize = size(shapes.length ? shapes[shapes.length - 1]!.output : spec.input);
    this.widestRow = Math.max(this.inputSize, ...shapes.map((s) => size(s.output)));
  }

  /** x: [batch, inputSize] -> [batch, outputSize]. Call inside tf.tidy. */
  apply(x: tf.Tensor2D, training: boolean, seed = 0): tf.Tensor2D {
    const n = x.shape[0];
    let h: tf.Tensor = this.spec.input.length === 1 ? x : tf.reshape(x, [n, ...this.spec.input]);
    for (const s of this.stages) h = s.apply(h, training, seed);
    return h.rank === 2 ? (h as tf.Tensor2D) : tf.reshape(h, [n, this.outputSize]);
  }

  dispose(): void {
    for (const s of this.stages) s.dispose();
  }
}

/** Checks a weights entry against its parameter before it is written to a variable. */
export function checkWeight(p: ParamSpec, a: unknown): Float32Array {
  if (!(a instanceof Float32Array)) throw new FormatError(`weights lack float32 array '${p.name}'`);
  if (a.length !== size(p.shape)) {
    throw new FormatError(`weights '${p.name}' has ${a.length} values, expected ${size(p.shape)} ([${p.shape.join(', ')}])`);
  }
  return a;
}
