import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels the WASM backend lacks (TF.js 4.x: the filter gradients of convolutions, segment sums),
 * run on the CPU backend: inputs are copied out of WASM memory, computed in JavaScript by the CPU
 * backend's own kernel, and the result copied back. Slow but exact; a safety net only, since the
 * engine's convolutions (conv.ts) need none of them.
 */
const NEEDED = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum'];

export async function registerCpuFallbacks(target: string): Promise<string[]> {
  await import('@tensorflow/tfjs-backend-cpu');
  const have = new Set(tf.getKernelsForBackend(target).map((k) => k.kernelName));
  const added: string[] = [];
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (have.has(k.kernelName) || !NEEDED.includes(k.kernelName)) continue;
    tf.registerKernel({
      kernelName: k.kernelName,
      backendName: target,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const cpu = tf.findBackend('cpu');
        if (!cpu) throw new Error(`the CPU backend is needed for ${k.kernelName} and could not start`);
        const own = backend as tf.KernelBackend;
        const cpuInputs: Record<string, tf.TensorInfo> = {};
        for (const [name, t] of Object.entries(inputs)) {
          if (!t) continue;
          cpuInputs[name] = { dataId: cpu.write(own.readSync(t.dataId) as tf.BackendValues, t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
        }
        try {
          const out = k.kernelFunc({ inputs: cpuInputs, attrs: attrs ?? {}, backend: cpu });
          const outs = Array.isArray(out) ? out : [out];
          const back = outs.map((o) => {
            const values = cpu.readSync(o.dataId) as tf.BackendValues;
            cpu.disposeData(o.dataId, true);
            return { dataId: own.write(values, o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
          });
          return Array.isArray(out) ? back : back[0]!;
        } finally {
          for (const t of Object.values(cpuInputs)) cpu.disposeData(t.dataId, true);
        }
      },
    });
    added.push(k.kernelName);
  }
  return added;
}
