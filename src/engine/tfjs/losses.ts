import * as tf from '@tensorflow/tfjs-core';
import { VAE_LOG_VAR_BOUNDS, type LossSpec } from '../spec.js';
import { mixSeed, normalNoise, type TfNetwork } from './network.js';

/** Where and how a loss is evaluated: training mode draws dropout masks and noise from `seed`. */
export interface LossMode {
  training: boolean;
  /** 0-based, for schedules (KL warm-up). */
  epoch: number;
  seed: number;
}

export const INFERENCE: LossMode = { training: false, epoch: 0, seed: 0 };

/** Salt for the VAE's sampling noise, apart from the dropout salts (layer indices). */
const NOISE_SALT = 1_000_003;
/** Salt for a classifier head's dropout masks, apart from its feature network's. */
const HEAD_SALT = 3_000_017;

/**
 * Per-row loss (a [batch] tensor) as lossSchema defines it; the training objective is its mean
 * times `objectiveScale`. Call inside tf.tidy.
 */
export function rowLoss(
  nets: ReadonlyMap<string, TfNetwork>,
  loss: LossSpec,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  mode: LossMode,
): tf.Tensor1D {
  const net = (name: string): TfNetwork => nets.get(name)!;
  switch (loss.kind) {
    case 'mse': {
      const out = net(loss.network).apply(x, mode.training, mode.seed);
      return tf.sum(tf.squaredDifference(out, y), 1);
    }
    case 'svdd-distance': {
      const out = net(loss.network).apply(x, mode.training, mode.seed);
      return tf.sum(tf.squaredDifference(out, tf.tensor1d(loss.center)), 1);
    }
    case 'vae-elbo': {
      const L = loss.latent;
      const enc = net(loss.encoder).apply(x, mode.training, mode.seed);
      const mu = tf.slice(enc, [0, 0], [-1, L]);
      const logVar = tf.clipByValue(tf.slice(enc, [0, L], [-1, L]), VAE_LOG_VAR_BOUNDS.min, VAE_LOG_VAR_BOUNDS.max);
      let z: tf.Tensor2D = mu;
      if (mode.training) {
        const eps = tf.tensor2d(normalNoise(x.shape[0] * L, mixSeed(mode.seed, NOISE_SALT)), [x.shape[0], L]);
        z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
      }
      // The decoder gets its own dropout seed so its masks are independent of the encoder's.
      const recon = net(loss.decoder).apply(z, mode.training, mixSeed(mode.seed, NOISE_SALT + 1));
      const rec = tf.mul(tf.sum(tf.squaredDifference(recon, y), 1), 0.5);
      const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 1), 0.5);
      return tf.add(rec, tf.mul(kl, klWeight(loss, mode)));
    }
    case 'binary-cross-entropy': {
      const z = tf.reshape(net(loss.network).apply(x, mode.training, mode.seed), [-1]);
      const lab = tf.reshape(y, [-1]);
      const p = tf.sigmoid(z);
      const logP = tf.neg(tf.softplus(tf.neg(z))); // log sigmoid(z), stable
      const log1mP = tf.neg(tf.softplus(z)); // log(1 - sigmoid(z))
      let pos: tf.Tensor = tf.mul(tf.mul(lab, logP), loss.positiveWeight);
      let neg: tf.Tensor = tf.mul(tf.mul(tf.sub(1, lab), log1mP), loss.negativeWeight);
      if (loss.gamma > 0) {
        pos = tf.mul(pos, tf.pow(tf.sub(1, p), loss.gamma));
        neg = tf.mul(neg, tf.pow(p, loss.gamma));
      }
      return tf.neg(tf.add(pos, neg)) as tf.Tensor1D;
    }
    case 'softmax-cross-entropy': {
      const out = net(loss.network).apply(x, mode.training, mode.seed);
      const logits = loss.head === undefined ? out : net(loss.head).apply(out, mode.training, mixSeed(mode.seed, HEAD_SALT));
      const classes = tf.range(0, logits.shape[1]);
      const oneHot = tf.cast(tf.equal(y, classes), 'float32'); // [batch, 1] against [K] broadcasts to [batch, K]
      return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
    }
    case 'deviation': {
      const phi = tf.reshape(net(loss.network).apply(x, mode.training, mode.seed), [-1]);
      const lab = tf.reshape(y, [-1]);
      const dev = tf.div(tf.sub(phi, loss.referenceMean), loss.referenceSd);
      const inlier = tf.mul(tf.sub(1, lab), tf.abs(dev));
      const outlier = tf.mul(lab, tf.relu(tf.sub(loss.margin, dev)));
      return tf.add(inlier, outlier) as tf.Tensor1D;
    }
    case 'ganomaly': {
      const g = ganomalyForward(nets, loss, x, mode);
      if (loss.score === 'latent') return tf.mean(tf.squaredDifference(g.z, g.zHat), 1);
      return tf.mean(tf.abs(tf.sub(y, g.fake)), 1);
    }
  }
}

type Ganomaly = Extract<LossSpec, { kind: 'ganomaly' }>;

/** Salts giving each GANomaly network (and the discriminator step) its own dropout masks. */
const GAN_SALT = 2_000_003;

/** The generator's pass: z = encoder(x), x' = decoder(z), z' = reEncoder(x'). */
function ganomalyForward(
  nets: ReadonlyMap<string, TfNetwork>,
  loss: Ganomaly,
  x: tf.Tensor2D,
  mode: LossMode,
): { z: tf.Tensor2D; fake: tf.Tensor2D; zHat: tf.Tensor2D } {
  const z = nets.get(loss.encoder)!.apply(x, mode.training, mixSeed(mode.seed, GAN_SALT));
  const fake = nets.get(loss.decoder)!.apply(z, mode.training, mixSeed(mode.seed, GAN_SALT + 1));
  const zHat = nets.get(loss.reEncoder)!.apply(fake, mode.training, mixSeed(mode.seed, GAN_SALT + 2));
  return { z, fake, zHat };
}

function discriminate(nets: ReadonlyMap<string, TfNetwork>, loss: Ganomaly, x: tf.Tensor2D, mode: LossMode, salt: number): { features: tf.Tensor2D; logit: tf.Tensor1D } {
  const features = nets.get(loss.discriminator)!.apply(x, mode.training, mixSeed(mode.seed, GAN_SALT + salt));
  const logit = tf.reshape(nets.get(loss.discriminatorHead)!.apply(features, mode.training, mixSeed(mode.seed, GAN_SALT + salt + 1)), [-1]) as tf.Tensor1D;
  return { features, logit };
}

/**
 * What training minimises, per row (the objective is its mean times `objectiveScale`): the
 * per-row loss, except for an adversarial loss, where it is the generator's objective. `fake` is
 * the generator's output, which the discriminator's step then learns to tell from `x`.
 */
export function objectiveRows(
  nets: ReadonlyMap<string, TfNetwork>,
  loss: LossSpec,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  mode: LossMode,
): { rows: tf.Tensor1D; fake?: tf.Tensor2D } {
  if (loss.kind !== 'ganomaly') return { rows: rowLoss(nets, loss, x, y, mode) };
  const g = ganomalyForward(nets, loss, x, mode);
  const real = discriminate(nets, loss, x, mode, 3);
  const fake = discriminate(nets, loss, g.fake, mode, 5);
  const adv = tf.mean(tf.squaredDifference(real.features, fake.features), 1);
  const con = tf.mean(tf.abs(tf.sub(y, g.fake)), 1);
  const enc = tf.mean(tf.squaredDifference(g.z, g.zHat), 1);
  const rows = tf.addN([tf.mul(adv, loss.adversarialWeight), tf.mul(con, loss.contextualWeight), tf.mul(enc, loss.encoderWeight)]) as tf.Tensor1D;
  return { rows, fake: g.fake };
}

/** The discriminator's objective per row for an adversarial loss: BCE(D(x), real) + BCE(D(fake), fake). */
export function discriminatorRows(
  nets: ReadonlyMap<string, TfNetwork>,
  loss: LossSpec,
  x: tf.Tensor2D,
  fake: tf.Tensor2D,
  mode: LossMode,
): tf.Tensor1D {
  if (loss.kind !== 'ganomaly') throw new Error(`internal: loss '${loss.kind}' has no discriminator`);
  const real = discriminate(nets, loss, x, mode, 7).logit;
  const faked = discriminate(nets, loss, fake, mode, 9).logit;
  // -log sigmoid(real) - log(1 - sigmoid(fake)), written stably.
  return tf.add(tf.softplus(tf.neg(real)), tf.softplus(faked));
}

/** KL weight: linear warm-up from 0 (epoch 0) to beta (epoch warmupEpochs) in training; beta otherwise. */
export function klWeight(loss: Extract<LossSpec, { kind: 'vae-elbo' }>, mode: LossMode): number {
  if (!mode.training || loss.warmupEpochs === 0) return loss.beta;
  return loss.beta * Math.min(1, mode.epoch / loss.warmupEpochs);
}

/** Objective = mean(row loss) * scale: MSE averages over the target's columns too. */
export function objectiveScale(loss: LossSpec, targetCols: number): number {
  return loss.kind === 'mse' ? 1 / targetCols : 1;
}
