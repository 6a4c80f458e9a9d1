import { DataError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { defaultEngine, withModel } from '../../engine/engine.js';
import { LABEL_MEANING, type FitContext } from '../detector.js';
import { DeepDetector, type TrainingOptions } from './common.js';

type LabelMode = 'semi-supervised' | 'supervised';

/** Counts and checks a fit's labels: one per row, both classes present. */
export function checkLabels(name: string, mode: LabelMode, rows: number, labels: Uint8Array | undefined): Uint8Array {
  if (!labels) throw new DataError(`${name} is ${mode}: fit it with 0/1 labels (${LABEL_MEANING[mode]})`);
  if (labels.length !== rows) throw new DataError(`${name}: ${labels.length} labels for ${rows} rows`);
  let pos = 0;
  for (const v of labels) {
    if (v !== 0 && v !== 1) throw new DataError(`${name}: labels must be 0 or 1, got ${v}`);
    pos += v;
  }
  if (pos === 0) throw new DataError(`${name} is ${mode}: no row is labeled 1 (${LABEL_MEANING[mode]}); it needs at least one`);
  if (pos === rows) throw new DataError(`${name} is ${mode}: every row is labeled 1 (${LABEL_MEANING[mode]}); it needs rows labeled 0 too`);
  return labels;
}

/**
 * A deep detector that learns from labels (FitContext.labels) and scores with its network's one
 * output per row (rather than a per-row loss, which would need the row's label).
 */
export abstract class LabeledDeepDetector<O extends TrainingOptions> extends DeepDetector<O> {
  protected abstract readonly mode: LabelMode;

  override async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    checkLabels(this.name, this.mode, X.rows, ctx?.labels);
    return super.fit(X, ctx);
  }

  /** The network's raw output as a score (identity unless a model maps it, e.g. logit to probability). */
  protected toScore(output: number): number {
    return output;
  }

  override async score(X: Matrix): Promise<Float64Array> {
    const { t, x } = this.prepare(X);
    const engine = await defaultEngine();
    const out = await withModel(engine, t.spec, t.weights, (m) => engine.forward(m, x));
    return Float64Array.from(out.data, (v) => this.toScore(v));
  }
}

/** Labels as a one-column target matrix, for the losses that read them through `y`. */
export function labelTarget(labels: Uint8Array): Matrix {
  return matrix(labels.length, 1, Float64Array.from(labels));
}
