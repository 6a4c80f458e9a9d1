import { concatRows, matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { selectFrameRows, type Frame } from '../../data/frame.js';
import { Model } from '../../model/model.js';
import type { PreprocessSpec } from '../../preprocess/index.js';
import { averagePrecision, confusion, prf, rocAuc } from '../metrics.js';
import type { Split } from '../splits.js';
import type { Setting } from './candidates.js';

export type TuneMetric = 'roc' | 'pr' | 'f1';

/** One setting's cross-validation: plain data, so it can cross into a worker thread. */
export interface SettingJob {
  frame: Frame;
  labels?: Uint8Array;
  detector: string;
  options: Setting;
  preprocess: PreprocessSpec;
  folds: Split[];
  metric: TuneMetric;
  seed: number;
}

/**
 * The metric on each held-out fold. Preprocessing, detector and threshold are fitted on the
 * training folds only. With labels: ROC-AUC, average precision, or F1 at a threshold set from the
 * training folds' anomaly rate. Without labels: see `syntheticRoc`.
 */
export async function crossValidate(job: SettingJob): Promise<number[]> {
  const out: number[] = [];
  for (const [f, split] of job.folds.entries()) {
    const train = selectFrameRows(job.frame, split.train);
    const test = selectFrameRows(job.frame, split.test);
    const yTrain = job.labels ? Uint8Array.from(split.train, (i) => job.labels![i]!) : undefined;
    const rate = yTrain ? Math.min(0.49, Math.max(1 / yTrain.length, yTrain.reduce((a, b) => a + b, 0) / yTrain.length)) : 0.1;
    const model = await Model.fit(
      train,
      { detector: job.detector, options: job.options, preprocess: job.preprocess, threshold: { kind: 'contamination', rate } },
      { labels: yTrain },
    );
    if (!job.labels) {
      out.push(await syntheticRoc(model, train, test, job.seed + f));
      continue;
    }
    const yTest = Uint8Array.from(split.test, (i) => job.labels![i]!);
    const scores = await model.score(test);
    if (job.metric === 'roc') out.push(rocAuc(yTest, scores));
    else if (job.metric === 'pr') out.push(averagePrecision(yTest, scores));
    else out.push(prf(confusion(yTest, Array.from(scores, (s) => (s > model.cutoff ? 1 : 0)))).f1);
  }
  return out;
}

/**
 * The unsupervised criterion (uniform object generation, Tax & Duin 2001): how well the model
 * separates held-out real rows from as many synthetic rows drawn uniformly from the training
 * rows' bounding box, widened by 10% per side, in the model's feature space. It rewards models
 * that describe where the data lives; it cannot know which rare real rows are anomalies.
 */
export async function syntheticRoc(model: Model, train: Frame, test: Frame, seed: number): Promise<number> {
  const Xtr = model.features(train);
  const Xte = model.features(test);
  const fake = uniformInBox(Xtr, Xte.rows, new Rng(seed));
  const scores = await model.detector.score(concatRows(Xte, fake));
  const labels = new Uint8Array(Xte.rows + fake.rows);
  labels.fill(1, Xte.rows);
  return rocAuc(labels, scores);
}

function uniformInBox(X: Matrix, n: number, rng: Rng): Matrix {
  const lo = new Float64Array(X.cols).fill(Infinity);
  const hi = new Float64Array(X.cols).fill(-Infinity);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j]!;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
  }
  const out = matrix(n, X.cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < X.cols; j++) {
      const pad = 0.1 * (hi[j]! - lo[j]!);
      out.data[i * X.cols + j] = rng.uniform(lo[j]! - pad, hi[j]! + pad);
    }
  }
  return out;
}
