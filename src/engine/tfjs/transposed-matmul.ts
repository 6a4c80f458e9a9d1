import * as tf from '@tensorflow/tfjs-core';

/**
 * TF.js 4.x's WASM backend multiplies a transposed operand ~10x slower than an untransposed one
 * (a 256x32 by 256x64 product with transposeA: 530 us; transposing first, then multiplying: 55 us).
 * Every matMul gradient has a transposed operand (dx = dy W^T, dW = x^T dy), so dense and LSTM
 * training spent most of its matMul time there. These wrappers give the backend's own matMul
 * kernels operands it transposed with its Transpose kernel, which is exact: only the memory layout
 * changes, never an arithmetic operation.
 */
const KERNELS = ['BatchMatMul', '_FusedMatMul'];

export function registerTransposedMatMul(target: string): void {
  const transpose = tf.getKernel('Transpose', target);
  if (!transpose) return;
  for (const name of KERNELS) {
    const own = tf.getKernel(name, target);
    if (!own) continue;
    tf.unregisterKernel(name, target);
    tf.registerKernel({
      ...own,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const a = attrs as { transposeA?: boolean; transposeB?: boolean };
        if (!a.transposeA && !a.transposeB) return own.kernelFunc({ inputs, attrs: attrs ?? {}, backend });
        const made: tf.TensorInfo[] = [];
        const flip = (t: tf.TensorInfo): tf.TensorInfo => {
          const r = t.shape.length;
          const perm = [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2];
          const out = transpose.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend }) as tf.TensorInfo;
          made.push(out);
          return out;
        };
        try {
          const ins = { ...inputs, a: a.transposeA ? flip(inputs['a']!) : inputs['a']!, b: a.transposeB ? flip(inputs['b']!) : inputs['b']! };
          return own.kernelFunc({ inputs: ins, attrs: { ...attrs, transposeA: false, transposeB: false }, backend });
        } finally {
          for (const t of made) (backend as tf.KernelBackend).disposeData(t.dataId);
        }
      },
    });
  }
}
