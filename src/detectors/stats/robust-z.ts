import { z } from 'zod';
import { column, type Matrix } from '../../core/matrix.js';
import { MAD_TO_SD, mad, median } from '../../core/stats.js';
import type { Detector, DetectorState } from '../detector.js';
import { absDeviations } from './deviations.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { combineRows, combineSchema, combinedCutoff } from './combine.js';

const schema = z.object({
  combine: combineSchema,
  /** Robust |z| above which a row is anomalous when the threshold is `auto` (Iglewicz & Hoaglin's 3.5). */
  cutoff: z.number().positive().default(3.5).describe('Robust |z| above which a row is anomalous when the threshold is `auto` (Iglewicz & Hoaglin\'s 3.5).'),
});

/**
 * sqrt(pi / 2): makes the mean absolute deviation a consistent estimator of a normal standard
 * deviation, as MAD_TO_SD does for the MAD.
 */
const MEANAD_TO_SD = 1.2533141373155003;

interface Learned {
  center: Float64Array;
  scale: Float64Array;
}

/**
 * Scale of one feature: 1.4826 MAD; when more than half the values are equal the MAD is 0, so
 * fall back to 1.2533 x the mean absolute deviation from the median (the rule IBM SPSS and
 * others use for the modified z-score); if that is 0 too, the feature is constant and 1 keeps
 * deviations finite, as zscore does.
 */
function robustScale(values: Float64Array, center: number): number {
  const m = MAD_TO_SD * mad(values, center);
  if (m > 0) return m;
  let s = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    s += Math.abs(v - center);
    n++;
  }
  return (n ? (MEANAD_TO_SD * s) / n : 0) || 1;
}

/** Modified z-score per feature (median and MAD), combined across features. */
class RobustZ implements Detector {
  readonly name = 'robust-z';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    const center = new Float64Array(X.cols);
    const scale = new Float64Array(X.cols);
    for (let j = 0; j < X.cols; j++) {
      const v = column(X, j);
      center[j] = median(v);
      scale[j] = robustScale(v, center[j]!);
    }
    this.learned = { center, scale };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return combineRows(await this.explain(X), this.options.combine);
  }

  /** Robust |z| of each feature: |x - median| / (1.4826 MAD). */
  async explain(X: Matrix): Promise<Matrix> {
    const { center, scale } = fittedOr(this.learned, this.name);
    checkFeatures(this.name, center.length, X);
    return absDeviations(X, center, scale);
  }

  /** The cutoff on the combined scale, by the same rule as zscore's. */
  naturalThreshold(): number {
    return combinedCutoff(this.options.cutoff, fittedOr(this.learned, this.name).center.length, this.options.combine);
  }

  getState(): DetectorState {
    const { center, scale } = fittedOr(this.learned, this.name);
    return { params: { features: center.length }, arrays: { center, scale } };
  }

  setState(s: DetectorState): void {
    stateNumber(s, 'features');
    this.learned = { center: stateArray(s, 'center', Float64Array), scale: stateArray(s, 'scale', Float64Array) };
  }
}

export const robustZ = defineDetector(
  {
    name: 'robust-z',
    family: 'stats',
    summary: 'modified z-score per feature (median and 1.4826 x MAD), combined by max, mean or L2 norm',
    citation:
      'Iglewicz & Hoaglin, How to Detect and Handle Outliers, ASQC Basic References in Quality Control vol. 16 (1993)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new RobustZ(o),
);
