import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { defaultEngine, withModel, type Engine } from '../engine.js';
import { initialWeights } from '../init.js';
import { parseLoopOptions } from '../loop.js';
import { networkShapes, parseModelSpec } from '../spec.js';
import * as tf from '@tensorflow/tfjs-core';
import { TfNetwork } from './network.js';

let engine: Engine;
before(async () => {
  engine = await defaultEngine();
});

const T = 7;
const C = 2;
const F = 3;
const K = 3;
const D = 2;

/** Direct definition of spec.ts: out[t, f] = b[f] + sum_j sum_c x[t - (K-1-j) D + shift, c] w[j, c, f]. */
function reference(x: Float64Array, w: Float32Array, b: Float32Array, padding: 'causal' | 'same' | 'valid'): number[] {
  const span = (K - 1) * D;
  const before = padding === 'causal' ? span : padding === 'same' ? Math.floor(span / 2) : 0;
  const steps = padding === 'valid' ? T - span : T;
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let f = 0; f < F; f++) {
      let s = b[f]!;
      for (let j = 0; j < K; j++) {
        const src = t + j * D - before;
        if (src < 0 || src >= T) continue;
        for (let c = 0; c < C; c++) s += x[src * C + c]! * w[(j * C + c) * F + f]!;
      }
      out.push(s);
    }
  }
  return out;
}

for (const padding of ['causal', 'same', 'valid'] as const) {
  test(`conv1d (${padding} padding, dilation ${D}) computes its definition`, async () => {
    const spec = parseModelSpec({ networks: { main: { input: [T, C], layers: [{ type: 'conv1d', filters: F, kernelSize: K, dilation: D, padding }] } } });
    const w = initialWeights(spec, 3);
    w['main.0.bias'] = Float32Array.of(0.1, -0.2, 0.3);
    const rng = new Rng(1);
    const x = matrix(2, T * C);
    for (let k = 0; k < x.data.length; k++) x.data[k] = rng.normal();
    const out = await withModel(engine, spec, w, (m) => engine.forward(m, x));
    for (let r = 0; r < 2; r++) {
      const want = reference(x.data.subarray(r * T * C, (r + 1) * T * C), w['main.0.kernel']!, w['main.0.bias']!, padding);
      const got = Array.from(out.data.subarray(r * out.cols, (r + 1) * out.cols));
      assert.equal(got.length, want.length);
      got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-5, `row ${r} value ${i}: ${g} vs ${want[i]}`));
    }
  });
}

/**
 * Direct definition of spec.ts's LSTM for one sequence: z = x_t W + h U + b, gates input, forget,
 * cell, output; c = sigmoid(f) c + sigmoid(i) tanh(g); h = sigmoid(o) tanh(c). Every h, in order.
 */
function lstmReference(x: Float64Array, steps: number, feats: number, units: number, w: Float32Array, u: Float32Array, b: Float32Array): number[][] {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  let h = new Array<number>(units).fill(0);
  let c = new Array<number>(units).fill(0);
  const hs: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const z = Array.from({ length: 4 * units }, (_, j) => {
      let s = b[j]!;
      for (let k = 0; k < feats; k++) s += x[t * feats + k]! * w[k * 4 * units + j]!;
      for (let k = 0; k < units; k++) s += h[k]! * u[k * 4 * units + j]!;
      return s;
    });
    c = c.map((cv, j) => sig(z[units + j]!) * cv + sig(z[j]!) * Math.tanh(z[2 * units + j]!));
    h = c.map((cv, j) => sig(z[3 * units + j]!) * Math.tanh(cv));
    hs.push(h);
  }
  return hs;
}

test('lstm computes its definition in both its forms (training and scoring), last state and every state', () => {
  const [steps, feats, units] = [5, 3, 4];
  const rng = new Rng(4);
  const x = matrix(3, steps * feats);
  for (let k = 0; k < x.data.length; k++) x.data[k] = rng.normal();
  for (const returnSequences of [false, true]) {
    const spec = parseModelSpec({ networks: { main: { input: [steps, feats], layers: [{ type: 'lstm', units, returnSequences }] } } });
    const w = initialWeights(spec, 5);
    // Non-zero biases in every gate so a swapped gate order could not pass.
    w['main.0.bias'] = Float32Array.from({ length: 4 * units }, (_, j) => 0.3 * Math.sin(j + 1));
    const net = new TfNetwork('main', spec.networks['main']!);
    for (const p of net.params) p.variable.assign(tf.tensor(w[p.spec.name]!, p.spec.shape));
    for (const training of [false, true]) {
      const out = tf.tidy(() => net.apply(tf.tensor2d(Float32Array.from(x.data), [x.rows, x.cols]), training).arraySync());
      for (let r = 0; r < x.rows; r++) {
        const hs = lstmReference(x.data.subarray(r * steps * feats, (r + 1) * steps * feats), steps, feats, units, w['main.0.kernel']!, w['main.0.recurrentKernel']!, w['main.0.bias']!);
        const want = returnSequences ? hs.flat() : hs[steps - 1]!;
        const got = out[r]!;
        assert.equal(got.length, want.length);
        got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-5, `returnSequences ${returnSequences}, training ${training}, row ${r} value ${i}: ${g} vs ${want[i]}`));
      }
    }
    net.dispose();
  }
});

test('conv1d and repeatVector shapes, parameters and errors', () => {
  const shapes = networkShapes('n', {
    input: [16, 4],
    layers: [
      { type: 'conv1d', filters: 8, kernelSize: 3, dilation: 4, padding: 'valid', activation: 'relu', useBias: true, init: 'glorotUniform' },
      { type: 'flatten' },
      { type: 'repeatVector', times: 5 },
    ],
  });
  assert.deepEqual(shapes.map((s) => s.output), [[8, 8], [64], [5, 64]]);
  assert.deepEqual(shapes[0]!.params.map((p) => [p.name, p.shape]), [['n.0.kernel', [3, 4, 8]], ['n.0.bias', [8]]]);
  assert.throws(() => parseModelSpec({ networks: { main: { input: [4, 1], layers: [{ type: 'conv1d', filters: 2, kernelSize: 3, dilation: 2, padding: 'valid' }] } } }), OptionsError);
  assert.throws(() => parseModelSpec({ networks: { main: { input: [4, 1], layers: [{ type: 'repeatVector', times: 2 }] } } }), /needs a flat input/);
});

test('conv1d and repeatVector train (gradients flow) without leaking tensors', async () => {
  const spec = parseModelSpec({
    networks: {
      main: {
        input: [8, 2],
        layers: [
          { type: 'conv1d', filters: 4, kernelSize: 2, dilation: 2, activation: 'tanh' },
          { type: 'flatten' },
          { type: 'dense', units: 3 },
          { type: 'repeatVector', times: 8 },
          { type: 'dense', units: 2 },
        ],
      },
    },
  });
  const rng = new Rng(2);
  const x = matrix(64, 16);
  for (let k = 0; k < x.data.length; k++) x.data[k] = Math.sin(k / 5) + 0.1 * rng.normal();
  const live = engine.liveBuffers();
  const hist = await withModel(engine, spec, 1, (m) =>
    engine.train(m, { x }, { kind: 'mse', network: 'main' }, parseLoopOptions({ epochs: 30, batchSize: 16, learningRate: 0.01 })),
  );
  assert.equal(engine.liveBuffers(), live);
  assert.ok(hist.epochs[29]!.loss < 0.7 * hist.epochs[0]!.loss, `loss ${hist.epochs[0]!.loss} -> ${hist.epochs[29]!.loss}`);
});
