import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { checkImageRows } from '../../data/images/image.js';
import { checkSquare, transformImages, TRANSFORM_SETS, type TransformSet } from '../../data/images/transforms.js';
import { defaultEngine, withModel, type Engine, type LossSpec, type ModelSpec } from '../../engine/engine.js';
import { parseModelSpec, type LayerSpecInput } from '../../engine/spec.js';
import { neighborIndex, type NeighborIndex } from '../classical/neighbors.js';
import type { DetectorState, FitContext } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber } from '../state.js';
import { DeepDetector, trainedFromState, trainedState, trainingOptions, type Trained } from './common.js';

const dim = z.number().int().positive().max(4096);

const schema = z.object({
  /** Image shape; rows are flattened height x width x channels pixels (channels last). The image harness fills these. Quarter turns need height = width. */
  height: dim,
  width: dim,
  channels: z.number().int().positive().max(64).default(1),
  /** What the network learns to tell apart: the 4 quarter turns, or those of the image and of its mirror image (8). */
  transforms: z.enum(Object.keys(TRANSFORM_SETS) as [TransformSet, ...TransformSet[]]).default('rotations-flips').describe('What the network learns to tell apart: the 4 quarter turns, or those of the image and of its mirror image (8).'),
  /** Filters of the stride-2 conv blocks (relu). */
  filters: z.array(z.number().int().positive().max(1024)).min(1).max(6).default([32, 64, 128]).describe('Filters of the stride-2 conv blocks (relu).'),
  kernelSize: z.number().int().positive().max(9).default(3),
  /** Width of the dense feature layer between the conv blocks and the classifier head: the space neighbours are searched in. */
  featureSize: z.number().int().positive().max(4096).default(128).describe('Width of the dense feature layer between the conv blocks and the classifier head: the space neighbours are searched in.'),
  /**
   * `neighbors`: distance to the `nNeighbors`-th nearest training image in the learned feature
   * space (features scaled to unit length), the two-stage detector of Sohn et al. 2021.
   * `transforms`: how badly the network recognises each transformation of the image, the sum
   * over transformations t of -log p(t | t(image)) (Golan & El-Yaniv's simplified score).
   */
  score: z.enum(['neighbors', 'transforms']).default('neighbors').describe('`neighbors`: distance to the `nNeighbors`-th nearest training image in the learned feature space (features scaled to unit length), the two-stage detector of Sohn et al. 2021. `transforms`: how badly the network recognises each transformation of the image, the sum over transformations t of -log p(t | t(image)) (Golan & El-Yaniv\'s simplified score).'),
  nNeighbors: z.number().int().positive().max(1000).default(5),
  ...trainingOptions,
  // On Fashion-MNIST's shirts and pullovers (classes 6 and 2), 3 epochs at 3e-3 matched 6 at
  // 1e-3 at half the cost; longer runs added under 0.003 ROC-AUC.
  epochs: trainingOptions.epochs.removeDefault().default(3),
  learningRate: trainingOptions.learningRate.removeDefault().default(3e-3),
  batchSize: z.number().int().positive().default(128),
  /** Pixels in [0, 1] are used as they are by default. */
  standardize: z.boolean().default(false).describe('Pixels in [0, 1] are used as they are by default.'),
});
type Options = z.output<typeof schema>;
type Shape = Pick<Options, 'height' | 'width' | 'channels'>;

/** The feature network ('trunk') and the classifier head that names the transformation ('head'). */
export function rotnetSpec(o: Pick<Options, 'height' | 'width' | 'channels' | 'filters' | 'kernelSize' | 'featureSize'>, classes: number): ModelSpec {
  const layers: LayerSpecInput[] = o.filters.map((f) => ({ type: 'conv2d', filters: f, kernelSize: o.kernelSize, strides: 2, padding: 'same', activation: 'relu', init: 'fanInUniform' }));
  layers.push({ type: 'flatten' }, { type: 'dense', units: o.featureSize, activation: 'relu', init: 'fanInUniform' });
  return parseModelSpec({
    networks: {
      trunk: { input: [o.height, o.width, o.channels], layers },
      head: { input: [o.featureSize], layers: [{ type: 'dense', units: classes, init: 'fanInUniform' }] },
    },
  });
}

/** Each image under every transformation, transformation-major, with the transformation's index as the target. */
function transformedSet(X: Matrix, shape: Shape, count: number): { x: Matrix; y: Matrix } {
  const x = matrix(X.rows * count, X.cols);
  const y = matrix(X.rows * count, 1);
  for (let t = 0; t < count; t++) {
    x.data.set(transformImages(X, shape, t).data, t * X.data.length);
    y.data.fill(t, t * X.rows, (t + 1) * X.rows);
  }
  return { x, y };
}

/** Rows scaled to unit length (an all-zero row stays zero), so Euclidean distance orders as cosine similarity. */
function unitRows(m: Matrix): Matrix {
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j]! ** 2;
    const f = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j]! *= f;
  }
  return m;
}

/**
 * Self-supervised image detector: a CNN learns to tell which rotation (and flip) was applied to
 * images of the normal class (RotNet, Gidaris et al. 2018; as an anomaly detector Golan &
 * El-Yaniv 2018). To do that it must learn what upright normal images look like, so its features
 * place normal images near each other. A row is scored by its distance to the training images in
 * those features (default), or by how badly the network recognises its transformations.
 */
class RotNet extends DeepDetector<Options> {
  readonly name = 'rotnet';
  /** Unit-length features of the training images (score `neighbors`). */
  private bank?: { features: Matrix; index: NeighborIndex };

  private get count(): number {
    return TRANSFORM_SETS[this.options.transforms];
  }

  override async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    checkSquare(this.options, this.name);
    checkImageRows(this.name, this.options, X);
    if (X.rows < 1) throw new DataError('rotnet needs at least one training image');
    this.bank = undefined;
    await super.fit(X, ctx);
  }

  protected async train(engine: Engine, X: Matrix, ctx: FitContext | undefined): Promise<Trained> {
    const spec = rotnetSpec(this.options, this.count);
    const loss: LossSpec = { kind: 'softmax-cross-entropy', network: 'trunk', head: 'head' };
    const data = transformedSet(X, this.options, this.count);
    return withModel(engine, spec, this.options.seed, async (m) => {
      const t = await this.trainBuilt(engine, m, data.x, loss, ctx, { y: data.y });
      if (this.options.score === 'neighbors') this.setBank(unitRows(await engine.forward(m, X, { network: 'trunk' })));
      return t;
    });
  }

  private setBank(features: Matrix): void {
    this.bank = { features, index: neighborIndex(features, 'brute') };
  }

  override async score(X: Matrix): Promise<Float64Array> {
    const { t, x } = this.prepare(X);
    const engine = await defaultEngine();
    return withModel(engine, t.spec, t.weights, async (m) => {
      if (this.options.score === 'neighbors') {
        const bank = fittedOr(this.bank, this.name);
        const k = Math.min(this.options.nNeighbors, bank.features.rows);
        const { distances } = bank.index.query(unitRows(await engine.forward(m, x, { network: 'trunk' })), k);
        return Float64Array.from({ length: X.rows }, (_, i) => distances[i * k + k - 1]!);
      }
      const out = new Float64Array(X.rows);
      const y = matrix(X.rows, 1);
      for (let c = 0; c < this.count; c++) {
        y.data.fill(c);
        const rl = await engine.rowLoss(m, { x: transformImages(x, this.options, c), y }, t.loss);
        for (let i = 0; i < out.length; i++) out[i]! += rl[i]!;
      }
      return out;
    });
  }

  override getState(): DetectorState {
    const s = trainedState(fittedOr(this.trained, this.name));
    if (this.options.score !== 'neighbors') return s;
    const bank = fittedOr(this.bank, this.name).features;
    return { params: { ...s.params, bankRows: bank.rows }, arrays: { ...s.arrays, bank: bank.data } };
  }

  override setState(s: DetectorState): void {
    const trained = trainedFromState(s, this.name);
    if (this.options.score === 'neighbors') {
      const rows = stateNumber(s, 'bankRows');
      const data = stateArray(s, 'bank', Float64Array);
      const width = this.options.featureSize;
      if (data.length !== rows * width) throw new FormatError(`saved rotnet feature bank has ${data.length} values, expected ${rows} x ${width}`);
      this.setBank(matrix(rows, width, data));
    }
    this.trained = trained;
  }
}

export const rotnet = defineDetector(
  {
    name: 'rotnet',
    family: 'deep',
    summary: 'self-supervised CNN that learns which rotation/flip was applied to normal images; score = distance to training images in its features, or transformation loss',
    citation: 'Golan & El-Yaniv, Deep Anomaly Detection Using Geometric Transformations (NeurIPS 2018); Sohn et al., Learning and Evaluating Representations for Deep One-Class Classification (ICLR 2021)',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new RotNet(o),
);
