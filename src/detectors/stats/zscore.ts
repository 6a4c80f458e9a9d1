import { z } from 'zod';
import type { Matrix } from '../../core/matrix.js';
import { columnMeans, columnStds } from '../../core/linalg.js';
import type { Detector, DetectorState } from '../detector.js';
import { absDeviations } from './deviations.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { combineRows, combineSchema, combinedCutoff } from './combine.js';

const schema = z.object({
  combine: combineSchema,
  /** |z| above which a row is anomalous when the threshold is `auto`. */
  cutoff: z.number().positive().default(3).describe('|z| above which a row is anomalous when the threshold is `auto`.'),
});

interface Learned {
  mean: Float64Array;
  sd: Float64Array;
}

/** z-score per feature, combined across features. */
class ZScore implements Detector {
  readonly name = 'zscore';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    const mean = columnMeans(X);
    this.learned = { mean, sd: columnStds(X, mean) };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return combineRows(await this.explain(X), this.options.combine);
  }

  /** |z| of each feature. */
  async explain(X: Matrix): Promise<Matrix> {
    const { mean, sd } = fittedOr(this.learned, this.name);
    checkFeatures(this.name, mean.length, X);
    return absDeviations(X, mean, sd);
  }

  naturalThreshold(): number {
    return combinedCutoff(this.options.cutoff, fittedOr(this.learned, this.name).mean.length, this.options.combine);
  }

  getState(): DetectorState {
    const { mean, sd } = fittedOr(this.learned, this.name);
    return { params: { features: mean.length }, arrays: { mean, sd } };
  }

  setState(s: DetectorState): void {
    stateNumber(s, 'features');
    this.learned = { mean: stateArray(s, 'mean', Float64Array), sd: stateArray(s, 'sd', Float64Array) };
  }
}

export const zscore = defineDetector(
  {
    name: 'zscore',
    family: 'stats',
    summary: 'z-score per feature (mean and standard deviation), combined by max, mean or L2 norm',
    citation: 'Standard score; e.g. Barnett & Lewis, Outliers in Statistical Data (1994)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new ZScore(o),
);
