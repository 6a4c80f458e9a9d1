import { FormatError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { modelParams, size, type ModelSpec, type ParamSpec } from './spec.js';

/** Named parameter arrays in the layout of `modelParams` (float32, row-major). */
export type Weights = Record<string, Float32Array>;

/**
 * Initial weights from a seed, computed here rather than by an engine, so that every engine starts
 * from the same numbers for the same seed: Glorot-uniform kernels (Glorot & Bengio 2010, Keras'
 * fan convention) with zero biases, or PyTorch's U(+-1/sqrt(fan_in)) for both (`fanInUniform`);
 * orthogonal recurrent kernels (Saxe et al. 2014), an LSTM's forget-gate bias 1 (Jozefowicz et al.
 * 2015), batch norm at identity.
 */
export function initialWeights(spec: ModelSpec, seed: number): Weights {
  const rng = new Rng(seed);
  const out: Weights = {};
  for (const p of modelParams(spec)) out[p.name] = initParam(p, rng.fork());
  return out;
}

function initParam(p: ParamSpec, rng: Rng): Float32Array {
  const a = new Float32Array(size(p.shape));
  switch (p.init) {
    case 'zeros':
      return a;
    case 'ones':
      return a.fill(1);
    case 'lstmBias': {
      const u = p.shape[0]! / 4;
      return a.fill(1, u, 2 * u);
    }
    case 'glorotUniform': {
      const rf = p.shape.slice(0, -2).reduce((x, y) => x * y, 1);
      const fanIn = rf * p.shape[p.shape.length - 2]!;
      const fanOut = rf * p.shape[p.shape.length - 1]!;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-limit, limit);
      return a;
    }
    case 'fanInUniform': {
      const limit = 1 / Math.sqrt(p.fanIn ?? p.shape[0]!);
      for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-limit, limit);
      return a;
    }
    case 'orthogonal':
      return orthogonal(p.shape[0]!, size(p.shape) / p.shape[0]!, rng);
  }
}

/**
 * A rows x cols matrix with orthonormal rows (rows <= cols) or columns (rows > cols): modified
 * Gram-Schmidt on a Gaussian matrix, signs fixed as in a QR with positive diagonal.
 */
export function orthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  const n = tall ? rows : cols; // vector length
  const k = tall ? cols : rows; // number of orthonormal vectors
  const v: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rng.normal();
    for (const q of v) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i]! * x[i]!;
      for (let i = 0; i < n; i++) x[i] -= d * q[i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += x[i]! * x[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) x[i] /= norm;
    v.push(x);
  }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      if (tall) out[i * cols + j] = v[j]![i]!;
      else out[j * cols + i] = v[j]![i]!;
    }
  }
  return out;
}

/** Checks that `weights` holds exactly the float32 parameters of `spec`, each of the right length. */
export function checkWeights(spec: ModelSpec, weights: Weights): void {
  const params = modelParams(spec);
  const names = new Set(params.map((p) => p.name));
  const extra = Object.keys(weights).filter((k) => !names.has(k));
  if (extra.length) throw new FormatError(`weights do not fit the network: unexpected ${extra.join(', ')}`);
  for (const p of params) {
    const a = weights[p.name];
    if (!(a instanceof Float32Array)) throw new FormatError(`weights lack float32 array '${p.name}'`);
    if (a.length !== size(p.shape)) {
      throw new FormatError(`weights '${p.name}' has ${a.length} values, expected ${size(p.shape)} ([${p.shape.join(', ')}])`);
    }
  }
}
