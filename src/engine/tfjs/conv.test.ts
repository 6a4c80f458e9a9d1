import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers TF.js's gradients
import { Rng } from '../../core/random.js';
import { conv2d, conv2dTranspose, convGeometry } from './conv.js';

function randn(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

type Case = { h: number; w: number; c: number; f: number; k: [number, number]; s: [number, number]; padding: 'same' | 'valid' };
const CASES: Case[] = [
  { h: 8, w: 8, c: 1, f: 3, k: [3, 3], s: [2, 2], padding: 'same' },
  { h: 7, w: 6, c: 2, f: 3, k: [3, 3], s: [2, 2], padding: 'same' },
  { h: 6, w: 7, c: 2, f: 2, k: [5, 3], s: [1, 2], padding: 'same' },
  { h: 9, w: 8, c: 3, f: 2, k: [3, 2], s: [2, 3], padding: 'valid' },
  { h: 6, w: 6, c: 2, f: 4, k: [2, 2], s: [2, 2], padding: 'same' },
  { h: 5, w: 5, c: 2, f: 2, k: [1, 1], s: [1, 1], padding: 'valid' },
  { h: 10, w: 11, c: 2, f: 3, k: [5, 4], s: [3, 2], padding: 'same' },
];

const name = (c: Case) => `${c.h}x${c.w}x${c.c} -> ${c.f}, kernel ${c.k.join('x')}, stride ${c.s.join('x')}, ${c.padding}`;

describe('the engine\'s convolutions match TF.js conv2d / conv2dTranspose (values and gradients)', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const [n, c] of CASES.entries()) {
    test(`conv2d ${name(c)}`, () => {
      tf.tidy(() => {
        const x = randn([2, c.h, c.w, c.c], 10 + n) as tf.Tensor4D;
        const k = randn([...c.k, c.c, c.f], 20 + n) as tf.Tensor4D;
        const bias = randn([c.f], 30 + n) as tf.Tensor1D;
        const g = convGeometry(c.h, c.w, c.c, c.k[0], c.k[1], c.s[0], c.s[1], c.padding);
        const ours = (a: tf.Tensor4D, b: tf.Tensor4D, d: tf.Tensor1D) => conv2d(a, b, d, g, 'relu');
        const ref = (a: tf.Tensor4D, b: tf.Tensor4D, d: tf.Tensor1D) => tf.relu(tf.add(tf.conv2d(a, b, c.s, c.padding), d)) as tf.Tensor4D;
        const y = ours(x, k, bias);
        assert.ok(maxDiff(y, ref(x, k, bias)) < 1e-4);
        const dy = randn(y.shape, 40 + n);
        const gOurs = tf.grads((a, b, d) => tf.sum(tf.mul(ours(a as tf.Tensor4D, b as tf.Tensor4D, d as tf.Tensor1D), dy)))([x, k, bias]);
        const gRef = tf.grads((a, b, d) => tf.sum(tf.mul(ref(a as tf.Tensor4D, b as tf.Tensor4D, d as tf.Tensor1D), dy)))([x, k, bias]);
        gOurs.forEach((gr, i) => assert.ok(maxDiff(gr, gRef[i]!) < 1e-4, `gradient ${i}`));
      });
    });

    test(`conv2dTranspose ${name(c)}`, () => {
      tf.tidy(() => {
        // The transposed convolution maps [oh, ow, f] back to [h, w, c].
        const g = convGeometry(c.h, c.w, c.c, c.k[0], c.k[1], c.s[0], c.s[1], c.padding);
        const x = randn([2, g.oh, g.ow, c.f], 50 + n) as tf.Tensor4D;
        const k = randn([...c.k, c.c, c.f], 60 + n) as tf.Tensor4D;
        const bias = randn([c.c], 70 + n) as tf.Tensor1D;
        const ours = (a: tf.Tensor4D, b: tf.Tensor4D, d: tf.Tensor1D) => conv2dTranspose(a, b, d, g, 'linear');
        const ref = (a: tf.Tensor4D, b: tf.Tensor4D, d: tf.Tensor1D) =>
          tf.add(tf.conv2dTranspose(a, b, [2, c.h, c.w, c.c], c.s, c.padding), d) as tf.Tensor4D;
        const y = ours(x, k, bias);
        assert.ok(maxDiff(y, ref(x, k, bias)) < 1e-4);
        const dy = randn(y.shape, 80 + n);
        const gOurs = tf.grads((a, b, d) => tf.sum(tf.mul(ours(a as tf.Tensor4D, b as tf.Tensor4D, d as tf.Tensor1D), dy)))([x, k, bias]);
        const gRef = tf.grads((a, b, d) => tf.sum(tf.mul(ref(a as tf.Tensor4D, b as tf.Tensor4D, d as tf.Tensor1D), dy)))([x, k, bias]);
        gOurs.forEach((gr, i) => assert.ok(maxDiff(gr, gRef[i]!) < 1e-4, `gradient ${i}`));
      });
    });
  }
});
