import * as tf from '@tensorflow/tfjs-core';

/**
 * Adam (Kingma & Ba 2015, PyTorch's form of the bias correction) or plain SGD over all trainable
 * parameters at once: gradients are concatenated into one vector, so an update costs a dozen
 * TF.js ops rather than a dozen per parameter (TF.js's per-op overhead dominates small networks).
 * Global-norm clipping (PyTorch's clip_grad_norm_) and the L2 penalty's gradient (PyTorch's
 * weight_decay, added before the moments as in torch.optim.Adam) happen on the same vector.
 */
export class FlatOptimizer {
  private m: tf.Tensor1D | undefined;
  private v: tf.Tensor1D | undefined;
  private t = 0;
  private readonly sizes: number[];

  constructor(
    private readonly vars: tf.Variable[],
    private readonly o: { kind: 'adam' | 'sgd'; learningRate: number; clipNorm?: number; weightDecay?: number; beta1?: number; beta2?: number; epsilon?: number },
  ) {
    this.sizes = vars.map((v) => v.size);
  }

  /** Applies one update from the gradient of the data objective, flattened in `vars` order (flatGradient). Call inside tf.tidy. */
  apply(gradient: tf.Tensor1D): void {
    let g = gradient;
    if (this.o.weightDecay) g = tf.add(g, tf.mul(flatten(this.vars), this.o.weightDecay));
    if (this.o.clipNorm !== undefined) {
      const norm = tf.norm(g);
      g = tf.mul(g, tf.div(this.o.clipNorm, tf.maximum(norm, this.o.clipNorm)));
    }
    let step: tf.Tensor1D;
    if (this.o.kind === 'sgd') {
      step = tf.mul(g, this.o.learningRate);
    } else {
      const b1 = this.o.beta1 ?? 0.9;
      const b2 = this.o.beta2 ?? 0.999;
      const eps = this.o.epsilon ?? 1e-8;
      this.t++;
      const m = this.m ? tf.add(tf.mul(this.m, b1), tf.mul(g, 1 - b1)) : tf.mul(g, 1 - b1);
      const v = this.v ? tf.add(tf.mul(this.v, b2), tf.mul(tf.square(g), 1 - b2)) : tf.mul(tf.square(g), 1 - b2);
      this.m?.dispose();
      this.v?.dispose();
      this.m = tf.keep(m as tf.Tensor1D);
      this.v = tf.keep(v as tf.Tensor1D);
      const denom = tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(1 - b2 ** this.t)), eps);
      step = tf.mul(tf.div(m, denom), this.o.learningRate / (1 - b1 ** this.t));
    }
    const pieces = this.vars.length === 1 ? [step] : tf.split(step, this.sizes);
    this.vars.forEach((variable, i) => variable.assign(tf.sub(variable, tf.reshape(pieces[i]!, variable.shape))));
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = this.v = undefined;
  }
}

function flatten(ts: readonly tf.Tensor[]): tf.Tensor1D {
  const parts = ts.map((t) => tf.reshape(t, [-1]));
  return parts.length === 1 ? (parts[0] as tf.Tensor1D) : (tf.concat(parts) as tf.Tensor1D);
}

/** Gradients keyed by variable name as one vector in `vars` order (zeros where a variable has none). Call inside tf.tidy. */
export function flatGradient(vars: readonly tf.Variable[], grads: tf.NamedTensorMap): tf.Tensor1D {
  return flatten(vars.map((v) => grads[v.name] ?? tf.zeros([v.size])));
}
