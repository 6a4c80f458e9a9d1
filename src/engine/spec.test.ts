import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, OptionsError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { initialWeights, orthogonal } from './init.js';
import { modelParams, networkShapes, parseLossSpec, parseModelSpec } from './spec.js';

describe('network specs', () => {
  test('shapes flow through conv, transposed conv, reshape, flatten and lstm', () => {
    const conv = parseModelSpec({
      networks: {
        main: {
          input: [28, 28, 1],
          layers: [
            { type: 'conv2d', filters: 16, kernelSize: 3, strides: 2, activation: 'relu' },
            { type: 'conv2d', filters: 32, kernelSize: 3, strides: 2 },
            { type: 'conv2dTranspose', filters: 16, kernelSize: 3, strides: 2 },
            { type: 'conv2dTranspose', filters: 1, kernelSize: 3, strides: 2 },
            { type: 'flatten' },
            { type: 'reshape', targetShape: [28, 28, 1] },
          ],
        },
      },
    });
    assert.deepEqual(
      networkShapes('main', conv.networks['main']!).map((l) => l.output),
      [[14, 14, 16], [7, 7, 32], [14, 14, 16], [28, 28, 1], [784], [28, 28, 1]],
    );
    const rnn = parseModelSpec({
      networks: { f: { input: [32, 8], layers: [{ type: 'lstm', units: 16, returnSequences: true }, { type: 'lstm', units: 4 }, { type: 'dense', units: 8 }] } },
    });
    assert.deepEqual(
      modelParams(rnn).map((p) => `${p.name} [${p.shape}]`),
      ['f.0.kernel [8,64]', 'f.0.recurrentKernel [16,64]', 'f.0.bias [64]', 'f.1.kernel [16,16]', 'f.1.recurrentKernel [4,16]', 'f.1.bias [16]', 'f.2.kernel [4,8]', 'f.2.bias [8]'],
    );
  });

  test('batch norm without shift/scale has only moving statistics; dense without bias has only a kernel', () => {
    const m = parseModelSpec({
      networks: { main: { input: [5], layers: [{ type: 'dense', units: 3, useBias: false }, { type: 'batchNorm', center: false, scale: false }] } },
    });
    assert.deepEqual(
      modelParams(m).map((p) => [p.name, p.trainable]),
      [
        ['main.0.kernel', true],
        ['main.1.movingMean', false],
        ['main.1.movingVariance', false],
      ],
    );
  });

  test('invalid specs are rejected naming the layer', () => {
    const bad = (spec: unknown, re: RegExp) => assert.throws(() => parseModelSpec(spec), (e: unknown) => e instanceof OptionsError && re.test((e as Error).message));
    bad({ networks: { main: { input: [4], layers: [{ type: 'dense', units: 0 }] } } }, /units/);
    bad({ networks: { main: { input: [4], layers: [{ type: 'dense', units: 2, activation: 'swish' }] } } }, /activation/);
    bad({ networks: { main: { input: [4], layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }] } } }, /layer 0 \(conv2d\).*height, width, channels/);
    bad({ networks: { main: { input: [4], layers: [{ type: 'lstm', units: 2 }] } } }, /layer 0 \(lstm\)/);
    bad({ networks: { main: { input: [6], layers: [{ type: 'reshape', targetShape: [4, 2] }] } } }, /cannot reshape 6/);
    bad({ networks: { main: { input: [4], layers: [{ type: 'dropout', rate: 1 }] } } }, /rate/);
    bad({ networks: { main: { input: [4], layers: [], extra: 1 } } }, /extra/);
    bad({ networks: {} }, /at least one network/);
  });

  test('losses are checked against the networks they use', () => {
    const ae = parseModelSpec({ networks: { main: { input: [4], layers: [{ type: 'dense', units: 4 }] } } });
    assert.equal(parseLossSpec({ kind: 'mse' }, ae, 4).kind, 'mse');
    assert.throws(() => parseLossSpec({ kind: 'mse' }, ae, 5), (e: unknown) => e instanceof DataError && /network 'main' takes 4 values per row, the data has 5/.test((e as Error).message));
    assert.throws(() => parseLossSpec({ kind: 'mse', network: 'other' }, ae, 4), /needs a network 'other'/);
    assert.throws(() => parseLossSpec({ kind: 'svdd-distance', center: [0, 1] }, ae, 4), /gives 4 values per row, the center has 2/);
    assert.throws(() => parseLossSpec({ kind: 'vae-elbo', latent: 2 }, ae, 4), /needs a network 'encoder'/);
    assert.throws(() => parseLossSpec({ kind: 'hinge' }, ae, 4), OptionsError);
  });

  test('initial weights depend only on the spec and the seed', () => {
    const spec = parseModelSpec({
      networks: { main: { input: [6], layers: [{ type: 'dense', units: 5 }, { type: 'batchNorm' }, { type: 'dense', units: 6 }] } },
    });
    const a = initialWeights(spec, 42);
    assert.deepEqual(a, initialWeights(spec, 42));
    assert.notDeepEqual(a['main.0.kernel'], initialWeights(spec, 43)['main.0.kernel']);
    const limit = Math.sqrt(6 / (6 + 5));
    assert.ok(a['main.0.kernel']!.every((v) => Math.abs(v) <= limit));
    assert.ok(a['main.0.bias']!.every((v) => v === 0));
    assert.ok(a['main.1.gamma']!.every((v) => v === 1));
    assert.ok(a['main.1.movingVariance']!.every((v) => v === 1));
  });

  test('fanInUniform initialises kernel and bias in +-1/sqrt(fan_in), as PyTorch', () => {
    const spec = parseModelSpec({
      networks: {
        main: {
          input: [4, 4, 2],
          layers: [{ type: 'conv2d', filters: 3, kernelSize: 3, init: 'fanInUniform' }, { type: 'flatten' }, { type: 'dense', units: 5, init: 'fanInUniform' }],
        },
      },
    });
    const w = initialWeights(spec, 1);
    const within = (a: Float32Array, fanIn: number) => a.every((v) => Math.abs(v) <= 1 / Math.sqrt(fanIn)) && a.some((v) => Math.abs(v) > 0.5 / Math.sqrt(fanIn));
    assert.ok(within(w['main.0.kernel']!, 3 * 3 * 2));
    assert.ok(within(w['main.0.bias']!, 3 * 3 * 2));
    assert.ok(within(w['main.2.kernel']!, 48));
    assert.ok(within(w['main.2.bias']!, 48));
  });

  test('orthogonal initialisation has orthonormal rows (wide) or columns (tall)', () => {
    for (const [r, c] of [
      [4, 16],
      [16, 4],
      [5, 5],
    ] as const) {
      const q = orthogonal(r, c, new Rng(1));
      const vecs = r <= c ? Array.from({ length: r }, (_, i) => q.subarray(i * c, (i + 1) * c)) : Array.from({ length: c }, (_, j) => Float32Array.from({ length: r }, (_, i) => q[i * c + j]!));
      for (let i = 0; i < vecs.length; i++) {
        for (let j = 0; j < vecs.length; j++) {
          let d = 0;
          for (let k = 0; k < vecs[i]!.length; k++) d += vecs[i]![k]! * vecs[j]![k]!;
          assert.ok(Math.abs(d - (i === j ? 1 : 0)) < 1e-5, `dot(${i}, ${j}) = ${d}`);
        }
      }
    }
  });
});
