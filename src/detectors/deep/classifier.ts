import { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import { withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec } from '../../engine/spec.js';
import type { FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { activation, denseBlocks, hiddenSizes, trainingOptions, type Trained } from './common.js';
import { labelTarget, LabeledDeepDetector } from './labeled.js';

const schema = z.object({
  hiddenSizes: hiddenSizes([64, 32]),
  activation: activation('relu'),
  dropout: z.number().min(0).lt(1).default(0),
  batchNorm: z.boolean().default(false),
  /**
   * `balanced` weighs each class by rows / (2 x its rows) (scikit-learn's class_weight='balanced'),
   * so rare anomalies count as much as the normal rows in total; `none` weighs every row alike.
   */
  classWeight: z.enum(['balanced', 'none']).default('balanced').describe('`balanced` weighs each class by rows / (2 x its rows) (scikit-learn\'s class_weight=\'balanced\'), so rare anomalies count as much as the normal rows in total; `none` weighs every row alike.'),
  /** Focal loss exponent (Lin et al. 2017): > 0 down-weighs rows the model already gets right; 0 is cross-entropy. */
  focalGamma: z.number().min(0).max(10).default(0).describe('Focal loss exponent (Lin et al. 2017): > 0 down-weighs rows the model already gets right; 0 is cross-entropy.'),
  ...trainingOptions,
  epochs: trainingOptions.epochs.removeDefault().default(20),
});
type Options = z.output<typeof schema>;

/** Dense hidden blocks, then one linear unit: the logit of P(anomaly). */
export function classifierSpec(features: number, o: Pick<Options, 'hiddenSizes' | 'activation' | 'dropout' | 'batchNorm'>): ModelSpec {
  return parseModelSpec({
    networks: { main: { input: [features], layers: [...denseBlocks(o.hiddenSizes, o), { type: 'dense', units: 1 }] } },
  });
}

/** Per-class weights for binary cross-entropy: balanced = rows / (2 x class rows). */
export function classWeights(labels: Uint8Array, kind: Options['classWeight']): { positiveWeight: number; negativeWeight: number } {
  if (kind === 'none') return { positiveWeight: 1, negativeWeight: 1 };
  const pos = labels.reduce((a, b) => a + b, 0);
  return { positiveWeight: labels.length / (2 * pos), negativeWeight: labels.length / (2 * (labels.length - pos)) };
}

/**
 * Supervised MLP anomaly classifier for plentiful labels: binary cross-entropy on a logit, with
 * class weights or the focal loss for heavy imbalance. Score = P(anomaly), the sigmoid of the
 * logit computed in double precision (float32 would round many confident rows to exactly 1 and tie them).
 */
class Classifier extends LabeledDeepDetector<Options> {
  readonly name = 'classifier';
  protected readonly mode = 'supervised';

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const labels = ctx!.labels!;
    const loss: LossSpec = { kind: 'binary-cross-entropy', network: 'main', ...classWeights(labels, this.options.classWeight), gamma: this.options.focalGamma };
    const spec = classifierSpec(X.cols, this.options);
    return withModel(engine, spec, this.options.seed, (m) => this.trainBuilt(engine, m, X, loss, ctx, { y: labelTarget(labels), labels }));
  }

  protected override toScore(logit: number): number {
    return 1 / (1 + Math.exp(-logit));
  }

  /** P(anomaly) = 0.5: the classifier's own decision boundary. */
  naturalThreshold(): number {
    return 0.5;
  }
}

export const classifier = defineDetector(
  {
    name: 'classifier',
    family: 'deep',
    summary: 'supervised MLP (class weights or focal loss for imbalance); score = P(anomaly)',
    citation: 'binary cross-entropy MLP; focal loss after Lin et al., Focal Loss for Dense Object Detection (ICCV 2017)',
    modes: ['supervised'],
  },
  schema,
  (o) => new Classifier(o),
);
