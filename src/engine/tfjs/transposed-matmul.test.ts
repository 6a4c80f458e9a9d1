import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../core/random.js';
import { defaultEngine } from '../engine.js';
import { ensureBackend } from './backend.js';

/** [batch, rows, cols] values, seeded. */
function values(batch: number, rows: number, cols: number, seed: number): number[][][] {
  const rng = new Rng(seed);
  return Array.from({ length: batch }, () => Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal())));
}

const t2 = (m: number[][]): number[][] => m[0]!.map((_, j) => m.map((row) => row[j]!));

/** Plain-JavaScript a @ b per batch entry. */
function product(a: number[][][], b: number[][][]): number[][][] {
  return a.map((ab, k) => ab.map((row) => b[k]![0]!.map((_, j) => row.reduce((s, v, i) => s + v * b[k]![i]![j]!, 0))));
}

test('matMul with transposed operands gives the plain product on the default backend', async (t) => {
  const backend = await ensureBackend();
  if (backend !== 'wasm') return t.skip(`the transposed-operand kernels wrap WASM's; this process runs ${backend}`);
  // Non-square shapes, so transposing the wrong axes fails on shape or values.
  const a = values(2, 5, 3, 1);
  const b = values(2, 3, 4, 2);
  const want = product(a, b);
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const ta = tf.tensor3d(transposeA ? a.map(t2) : a);
      const tb = tf.tensor3d(transposeB ? b.map(t2) : b);
      const got = tf.tidy(() => tf.matMul(ta, tb, transposeA, transposeB).arraySync()) as number[][][];
      // 2-D only: WASM's fused kernel mis-adds the bias in batched (3-D) products, transposed or not.
      const bias = tf.tensor1d([0.5, -1, 2, 0]);
      const fused = tf.tidy(() => {
        const [fa, fb] = [tf.squeeze(tf.slice(ta, [1, 0, 0], [1, -1, -1]), [0]), tf.squeeze(tf.slice(tb, [1, 0, 0], [1, -1, -1]), [0])] as tf.Tensor2D[];
        return [[], tf.fused.matMul({ a: fa!, b: fb!, transposeA, transposeB, bias, activation: 'relu' }).arraySync()];
      }) as number[][][];
      tf.dispose([ta, tb, bias]);
      const tag = `transposeA ${transposeA}, transposeB ${transposeB}`;
      want.forEach((wb, k) =>
        wb.forEach((row, i) =>
          row.forEach((w, j) => {
            assert.ok(Math.abs(got[k]![i]![j]! - w) < 1e-5, `${tag}: [${k},${i},${j}] ${got[k]![i]![j]} vs ${w}`);
            if (k !== 1) return;
            const wf = Math.max(0, w + [0.5, -1, 2, 0][j]!);
            assert.ok(Math.abs(fused[k]![i]![j]! - wf) < 1e-5, `${tag}, fused: [${i},${j}] ${fused[k]![i]![j]} vs ${wf}`);
          }),
        ),
      );
    }
  }
});

test('the gradients of a product (which transpose an operand) match their plain-JavaScript values', async () => {
  await defaultEngine(); // registers TF.js's gradients, as the engine runs
  const a = values(1, 4, 3, 3)[0]!;
  const b = values(1, 3, 2, 4)[0]!;
  const dy = values(1, 4, 2, 5)[0]!;
  const [da, db] = tf.tidy(() => {
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D));
    return g([tf.tensor2d(a), tf.tensor2d(b)], tf.tensor2d(dy)).map((x) => x.arraySync() as number[][]);
  });
  const wantA = product([dy], [t2(b)])[0]!;
  const wantB = product([t2(a)], [dy])[0]!;
  wantA.forEach((row, i) => row.forEach((w, j) => assert.ok(Math.abs(da![i]![j]! - w) < 1e-5, `dA[${i},${j}]`)));
  wantB.forEach((row, i) => row.forEach((w, j) => assert.ok(Math.abs(db![i]![j]! - w) < 1e-5, `dB[${i},${j}]`)));
});
