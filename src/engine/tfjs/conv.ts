import * as tf from '@tensorflow/tfjs-core';

/**
 * 2-D convolutions whose forward and both gradients are all forward convolutions (Conv2D), which
 * the WASM backend runs on XNNPACK. TF.js 4.x's WASM backend lacks Conv2DBackpropFilter (its conv
 * layers trained through a CPU fallback, ~35x slower than this on the speed bench) and its Conv2DBackpropInput is a
 * plain loop, so:
 *  - conv2d: Conv2D; input gradient = the transposed convolution below; kernel gradient = a
 *    convolution over the batch axis, dilated by the stride;
 *  - conv2dTranspose: one stride-1 Conv2D with the kernel rearranged per output phase, then
 *    depth-to-space (sub-pixel, below); input gradient = conv2d; kernel gradient as above with the
 *    roles of input and output swapped.
 * Measured against an im2col + matMul formulation (slices, concat, one matMul), which was ~5x
 * slower on WASM: its many small copy kernels cost more than XNNPACK's convolutions.
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
  /** Zero rows/columns in front (top, left); as many as needed behind. */
  pt: number;
  pl: number;
}

function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { o: number; front: number } {
  const o = padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
  const front = padding === 'same' ? Math.floor(Math.max((o - 1) * s + k - n, 0) / 2) : 0;
  return { o, front };
}

/** The geometry of a convolution over an h x w x c input (TensorFlow's padding rules). */
export function convGeometry(h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, padding: 'same' | 'valid'): ConvGeometry {
  const y = axis(h, kh, sh, padding);
  const x = axis(w, kw, sw, padding);
  return { h, w, c, kh, kw, sh, sw, oh: y.o, ow: x.o, pt: y.front, pl: x.front };
}

/** Conv2D with the padding of g written out (TF.js computes the same for the padding names). */
function explicitConv(x: tf.Tensor4D, k: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  return tf.conv2d(x, k, [g.sh, g.sw], [[0, 0], [g.pt, Math.max(0, (g.oh - 1) * g.sh + g.kh - g.h - g.pt)], [g.pl, Math.max(0, (g.ow - 1) * g.sw + g.kw - g.w - g.pl)], [0, 0]]);
}

/**
 * One axis of the sub-pixel form. Output o = q s + r receives input q - d through kernel tap
 * j = d s + r + front for every d with 0 <= j < k; as a stride-1 correlation over taps
 * t = 0..T-1 (input offset t - dMax), tap t of phase r is kernel index (dMax - t) s + r + front,
 * zero where that falls outside the kernel. Padding the kernel axis with `padFront` zeros in front
 * and `padBack` behind puts index (dMax - t) s + r + front at (T - 1 - t) s + r: a reshape to
 * [T, s] and a reversal of T give [t, r] without a gather (WASM's gather took ~0.3 ms per call on
 * these kernels, a pad, a reversal or a transpose ~20 us).
 */
function subPixelAxis(out: number, inp: number, s: number, k: number, front: number): { taps: number; before: number; after: number; padFront: number; padBack: number } {
  const dMax = Math.floor((k - 1 - front) / s);
  const dMin = Math.ceil((1 - s - front) / s);
  const taps = dMax - dMin + 1;
  const blocks = Math.ceil(out / s);
  const padFront = -(dMin * s + front);
  return { taps, before: dMax, after: Math.max(0, blocks - inp - dMax + taps - 1), padFront, padBack: taps * s - k - padFront };
}

/**
 * The transposed convolution, computed sub-pixel (Shi et al. 2016): output phase (r_h, r_w) of
 * every s_h x s_w block reads the input through its own sub-kernel, so one stride-1 convolution to
 * s_h * s_w * c channels followed by depth-to-space (a reshape and a transpose) gives all phases.
 * Convolving a zero-inserted input instead multiplies zeros in all but one of every s_h * s_w
 * positions (3/4 of the work of the conv autoencoder's largest layer). At stride 1 the sub-kernel
 * is the flipped kernel and there is nothing to spread.
 */
function explicitConvT(x: tf.Tensor4D, k: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const [b, oh, ow, f] = x.shape;
  const c = g.c;
  const ah = subPixelAxis(g.h, oh, g.sh, g.kh, g.pt);
  const aw = subPixelAxis(g.w, ow, g.sw, g.kw, g.pl);
  // Kernel [kh, kw, c, f] -> [taps_h, taps_w, f, s_h * s_w * c] (see subPixelAxis), in views of
  // at most 4 axes: WASM reverses and transposes 6-axis tensors ~20x slower.
  const padded = tf.pad(k, [[ah.padFront, ah.padBack], [aw.padFront, aw.padBack], [0, 0], [0, 0]]);
  const tapsH = tf.reverse(tf.reshape(padded, [ah.taps, -1]), 0);
  const taps = tf.reverse(tf.reshape(tapsH, [ah.taps * g.sh, aw.taps, -1]), 1);
  // [th, sh, tw, (sw c f)] -> [th, tw, sh, (sw c f)], then [(th tw), (sh sw c), f] -> [(th tw), f, (sh sw c)].
  const tapMajor = tf.transpose(tf.reshape(taps, [ah.taps, g.sh, aw.taps, -1]), [0, 2, 1, 3]);
  const phased = tf.transpose(tf.reshape(tapMajor, [ah.taps * aw.taps, g.sh * g.sw * c, f]), [0, 2, 1]);
  const kernel = tf.reshape(phased, [ah.taps, aw.taps, f, g.sh * g.sw * c]) as tf.Tensor4D;
  const y = tf.conv2d(x, kernel, 1, [[0, 0], [ah.before, ah.after], [aw.before, aw.after], [0, 0]]);
  const [, qh, qw] = y.shape;
  const spread =
    g.sh === 1 && g.sw === 1 ? y : (tf.reshape(tf.transpose(tf.reshape(y, [b, qh, qw, g.sh, g.sw, c]), [0, 1, 3, 2, 4, 5]), [b, qh * g.sh, qw * g.sw, c]) as tf.Tensor4D);
  return qh * g.sh === g.h && qw * g.sw === g.w ? spread : tf.slice(spread, [0, 0, 0, 0], [b, g.h, g.w, c]);
}

/** d loss / d kernel of a convolution with geometry g, from its input [B,h,w,c] and output gradient [B,oh,ow,f]: [kh,kw,c,f]. */
function filterGrad(input: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const [b, , , c] = input.shape;
  const hc = (g.oh - 1) * g.sh + g.kh;
  const wc = (g.ow - 1) * g.sw + g.kw;
  // Rows and columns the kernel never reaches ('valid' leftovers) are cut; the padding goes to the convolution itself.
  const uh = Math.min(g.h, hc - g.pt);
  const uw = Math.min(g.w, wc - g.pl);
  const used = uh < g.h || uw < g.w ? tf.slice(input, [0, 0, 0, 0], [b, uh, uw, c]) : input;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [g.pt, hc - g.pt - uh], [g.pl, wc - g.pl - uw], [0, 0]];
  // Batch and channels swap roles: a convolution over the batch, dilated by the stride.
  const out = tf.conv2d(tf.transpose(used, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, pad, 'NHWC', [g.sh, g.sw]);
  return tf.transpose(out, [1, 2, 0, 3]);
}

const convOp = (g: ConvGeometry) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, k, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x as tf.Tensor4D, k as tf.Tensor4D]);
    return {
      value: explicitConv(x as tf.Tensor4D, k as tf.Tensor4D, g),
      gradFunc: (dy, saved) => [explicitConvT(dy as tf.Tensor4D, saved[1] as tf.Tensor4D, g), filterGrad(saved[0] as tf.Tensor4D, dy as tf.Tensor4D, g)],
    };
  });

const convTOp = (g: ConvGeometry) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, k, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x as tf.Tensor4D, k as tf.Tensor4D]);
    return {
      value: explicitConvT(x as tf.Tensor4D, k as tf.Tensor4D, g),
      gradFunc: (dy, saved) => [explicitConv(dy as tf.Tensor4D, saved[1] as tf.Tensor4D, g), filterGrad(dy as tf.Tensor4D, saved[0] as tf.Tensor4D, g)],
    };
  });

export type FusableActivation = 'linear' | 'relu';

/** conv2d: x [B, h, w, c], kernel [kh, kw, c, f], bias [f] -> [B, oh, ow, f]. */
export function conv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined, g: ConvGeometry, activation: FusableActivation): tf.Tensor4D {
  let y = convOp(g)(x, kernel) as tf.Tensor4D;
  if (bias) y = tf.add(y, bias);
  return activation === 'relu' ? tf.relu(y) : y;
}

/**
 * conv2dTranspose: x [B, oh, ow, in], kernel [kh, kw, f, in], bias [f] -> [B, h, w, f], where g is
 * the geometry of the convolution it transposes (from [h, w, f] to [oh, ow, in]).
 */
export function conv2dTranspose(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined, g: ConvGeometry, activation: FusableActivation): tf.Tensor4D {
  let y = convTOp(g)(x, kernel) as tf.Tensor4D;
  if (bias) y = tf.add(y, bias);
  return activation === 'relu' ? tf.relu(y) : y;
}
