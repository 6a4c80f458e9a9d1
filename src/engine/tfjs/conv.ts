import * as tf from '@tensorflow/tfjs-core';

/**
 * 2-D convolutions written as im2col + one matrix product, from ops whose forward and gradient
 * kernels all exist in the WASM backend (pad, reshape, transpose, slice, concat, split, addN,
 * matMul). TF.js 4.x's WASM backend lacks Conv2DBackpropFilter, so its own conv layers train
 * through a CPU fallback, and its conv forward with few channels is slow; at the small images and
 * layers anomaly detectors use, a few large matMuls win.
 *
 * Channels last; kernel [kh, kw, in, filters] for conv2d and [kh, kw, filters, in] for the
 * transposed convolution (Keras' layout), with TensorFlow's 'same'/'valid' padding rules.
 */

export interface ConvGeometry {
  /** Input spatial size of the convolution (for the transposed one: its output size). */
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Output spatial size of the convolution. */
  oh: number;
  ow: number;
  /** Zero rows/columns in front (top, left); the rest of the padded grid is zeros behind. */
  pt: number;
  pl: number;
  /** The padded grid, rounded up to whole strides so it reshapes into stride blocks. */
  hp: number;
  wp: number;
}

function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { o: number; front: number; padded: number } {
  const o = padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
  const front = padding === 'same' ? Math.floor(Math.max((o - 1) * s + k - n, 0) / 2) : 0;
  const padded = Math.ceil(Math.max((o - 1) * s + k, front + n) / s) * s;
  return { o, front, padded };
}

/** The geometry of a convolution over an h x w x c input (TensorFlow's padding rules). */
export function convGeometry(h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, padding: 'same' | 'valid'): ConvGeometry {
  const y = axis(h, kh, sh, padding);
  const x = axis(w, kw, sw, padding);
  return { h, w, c, kh, kw, sh, sw, oh: y.o, ow: x.o, pt: y.front, pl: x.front, hp: y.padded, wp: x.padded };
}

/**
 * [B, hp, wp, c] -> [B, hp/sh, wp/sw, sh*sw*c]: each stride block's pixels moved onto the channel
 * axis, so every kernel tap becomes a contiguous slice (TF.js has no gradient for strided slices).
 */
function toBlocks(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const b = x.shape[0];
  if (g.sh === 1 && g.sw === 1) return x;
  const r = tf.reshape(x, [b, g.hp / g.sh, g.sh, g.wp / g.sw, g.sw, g.c]);
  return tf.reshape(tf.transpose(r, [0, 1, 3, 2, 4, 5]), [b, g.hp / g.sh, g.wp / g.sw, g.sh * g.sw * g.c]);
}

function fromBlocks(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const b = x.shape[0];
  if (g.sh === 1 && g.sw === 1) return x;
  const r = tf.reshape(x, [b, g.hp / g.sh, g.wp / g.sw, g.sh, g.sw, g.c]);
  return tf.reshape(tf.transpose(r, [0, 1, 3, 2, 4, 5]), [b, g.hp, g.wp, g.c]);
}

/** Where tap (i, j) starts in the block grid: [row, column, channel]. */
function tapOrigin(i: number, j: number, g: ConvGeometry): [number, number, number] {
  return [Math.floor(i / g.sh), Math.floor(j / g.sw), ((i % g.sh) * g.sw + (j % g.sw)) * g.c];
}

/** x [B, h, w, c] -> patches [B, oh, ow, kh*kw*c], taps in (row, column, channel) order like the kernel. */
export function im2col(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const b = x.shape[0];
  const padded = tf.pad(x, [
    [0, 0],
    [g.pt, g.hp - g.h - g.pt],
    [g.pl, g.wp - g.w - g.pl],
    [0, 0],
  ]);
  const blocks = toBlocks(padded, g);
  const taps: tf.Tensor4D[] = [];
  for (let i = 0; i < g.kh; i++) {
    for (let j = 0; j < g.kw; j++) taps.push(tf.slice(blocks, [0, ...tapOrigin(i, j, g)], [b, g.oh, g.ow, g.c]));
  }
  return taps.length === 1 ? taps[0]! : tf.concat(taps, 3);
}

/**
 * The adjoint of im2col: patches [B, oh, ow, kh*kw*c] overlap-added back onto [B, h, w, c]. Taps
 * of the same stride phase share a channel block; they are summed there, then the blocks joined.
 */
export function col2im(cols: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const b = cols.shape[0];
  const hq = g.hp / g.sh;
  const wq = g.wp / g.sw;
  const taps: tf.Tensor4D[] = g.kh * g.kw === 1 ? [cols] : tf.split(cols, g.kh * g.kw, 3);
  const phases: tf.Tensor4D[] = [];
  for (let p = 0; p < g.sh; p++) {
    for (let q = 0; q < g.sw; q++) {
      const parts: tf.Tensor4D[] = [];
      for (let i = p; i < g.kh; i += g.sh) {
        for (let j = q; j < g.kw; j += g.sw) {
          const [r, c] = tapOrigin(i, j, g);
          parts.push(
            tf.pad(taps[i * g.kw + j]!, [
              [0, 0],
              [r, hq - g.oh - r],
              [c, wq - g.ow - c],
              [0, 0],
            ]),
          );
        }
      }
      phases.push(parts.length === 0 ? tf.zeros([b, hq, wq, g.c]) : parts.length === 1 ? parts[0]! : tf.addN(parts));
    }
  }
  const blocks = phases.length === 1 ? phases[0]! : tf.concat(phases, 3);
  return tf.slice(fromBlocks(blocks, g), [0, g.pt, g.pl, 0], [b, g.h, g.w, g.c]);
}

export type FusableActivation = 'linear' | 'relu';

/** conv2d: x [B, h, w, c], kernel [kh, kw, c, f], bias [f] -> [B, oh, ow, f]. */
export function conv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined, g: ConvGeometry, activation: FusableActivation): tf.Tensor4D {
  const b = x.shape[0];
  const f = kernel.shape[3];
  const cols = tf.reshape(im2col(x, g), [b * g.oh * g.ow, g.kh * g.kw * g.c]);
  const y = tf.fused.matMul({ a: cols, b: tf.reshape(kernel, [g.kh * g.kw * g.c, f]), bias, activation });
  return tf.reshape(y, [b, g.oh, g.ow, f]);
}

/**
 * conv2dTranspose: x [B, oh, ow, in], kernel [kh, kw, f, in], bias [f] -> [B, h, w, f], where g is
 * the geometry of the convolution it transposes (from [h, w, f] to [oh, ow, in]): one matMul to
 * every tap's contribution, then overlap-add.
 */
export function conv2dTranspose(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined, g: ConvGeometry, activation: FusableActivation): tf.Tensor4D {
  const b = x.shape[0];
  const cin = x.shape[3];
  const taps = tf.matMul(tf.reshape(x, [b * g.oh * g.ow, cin]), tf.reshape(kernel, [g.kh * g.kw * g.c, cin]), false, true);
  let y = col2im(tf.reshape(taps, [b, g.oh, g.ow, g.kh * g.kw * g.c]), g);
  if (bias) y = tf.add(y, bias);
  return activation === 'relu' ? tf.relu(y) : y;
}
