import { z } from 'zod';
import { matrix, type Matrix } from '../../core/matrix.js';
import { defaultEngine, withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec } from '../../engine/spec.js';
import type { FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, DeepDetector, denseBlocks, hiddenSizes, trainingOptions, type Trained } from './common.js';

const schema = z.object({
  /** Encoder sizes; the decoder mirrors them. */
  hiddenSizes: hiddenSizes([64, 32]),
  latent: z.number().int().positive().max(4096).default(8),
  activation: activation('relu'),
  dropout: z.number().min(0).lt(1).default(0.2),
  batchNorm: z.boolean().default(true),
  /** Weight of the KL term (beta-VAE, Higgins et al. 2017); 1 is the plain ELBO. */
  beta: z.number().positive().default(1).describe('Weight of the KL term (beta-VAE, Higgins et al. 2017); 1 is the plain ELBO.'),
  /** Epochs over which the KL weight grows linearly from 0 to beta (Bowman et al. 2016). */
  warmupEpochs: z.number().int().nonnegative().default(5).describe('Epochs over which the KL weight grows linearly from 0 to beta (Bowman et al. 2016).'),
  ...trainingOptions,
  epochs: trainingOptions.epochs.removeDefault().default(30),
});
type Options = z.output<typeof schema>;

export function vaeSpec(features: number, o: Pick<Options, 'hiddenSizes' | 'latent' | 'activation' | 'dropout' | 'batchNorm'>): ModelSpec {
  const rev = [...o.hiddenSizes].reverse();
  return parseModelSpec({
    networks: {
      // Outputs [mu, log-variance], latent columns each.
      encoder: { input: [features], layers: [...denseBlocks(o.hiddenSizes, o), { type: 'dense', units: 2 * o.latent }] },
      decoder: { input: [o.latent], layers: [...denseBlocks(rev, o), { type: 'dense', units: features }] },
    },
  });
}

/**
 * Variational autoencoder (Kingma & Welling 2014; for anomalies An & Cho 2015) with a Gaussian
 * encoder, reparameterised seeded sampling and a unit-variance Gaussian decoder. Training
 * minimises the negative ELBO, 0.5 * ||x - x'||^2 + w * KL(q(z|x) || N(0, I)), with the KL weight w
 * warmed up linearly from 0 to beta over the first `warmupEpochs` epochs.
 *
 * Score: the same negative ELBO (full beta) evaluated deterministically at the posterior mean,
 * z = mu(x), rather than averaged over samples: the reconstruction error of the mean code plus the
 * KL divergence of q(z|x) from the prior. Deterministic, so the same model always scores a row the
 * same, and it counts both badly reconstructed rows and rows whose code is improbable.
 */
class Vae extends DeepDetector<Options> {
  readonly name = 'vae';

  private loss(): LossSpec {
    const o = this.options;
    return { kind: 'vae-elbo', encoder: 'encoder', decoder: 'decoder', latent: o.latent, beta: o.beta, warmupEpochs: o.warmupEpochs };
  }

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const spec = vaeSpec(X.cols, this.options);
    const loss = this.loss();
    return withModel(engine, spec, this.options.seed, (m) => this.trainBuilt(engine, m, X, loss, ctx));
  }

  /** The reconstruction term per feature, 0.5 * (x - decoder(mu))^2; the KL term is not split over features. */
  async explain(X: Matrix): Promise<Matrix> {
    const { t, x } = this.prepare(X);
    const L = (t.loss as Extract<LossSpec, { kind: 'vae-elbo' }>).latent;
    const engine = await defaultEngine();
    const rec = await withModel(engine, t.spec, t.weights, async (m) => {
      const enc = await engine.forward(m, x, { network: 'encoder' });
      const mu = matrix(X.rows, L);
      for (let i = 0; i < X.rows; i++) mu.data.set(enc.data.subarray(i * 2 * L, i * 2 * L + L), i * L);
      return engine.forward(m, mu, { network: 'decoder' });
    });
    const out = matrix(X.rows, X.cols);
    for (let k = 0; k < out.data.length; k++) out.data[k] = 0.5 * (x.data[k]! - rec.data[k]!) ** 2;
    return out;
  }
}

export const vae = defineDetector(
  {
    name: 'vae',
    family: 'deep',
    summary: 'variational autoencoder (KL warm-up); score = negative ELBO at the posterior mean',
    citation: 'Kingma & Welling, Auto-Encoding Variational Bayes (ICLR 2014); An & Cho, VAE-based anomaly detection (2015)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Vae(o),
);
