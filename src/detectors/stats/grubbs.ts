import { z } from 'zod';
import { defineDetector } from '../define.js';
import { CleanSampleDetector, iteratedGrubbs, type EsdResult } from './esd.js';

export { iteratedGrubbs };

const schema = z.object({
  /** Significance level of each Grubbs step, and of the `auto` threshold (split over features). */
  alpha: z.number().gt(0).lt(1).default(0.05).describe('Significance level of each Grubbs step, and of the `auto` threshold (split over features).'),
});

/** Iterated Grubbs per feature; scores are studentized deviates from the outlier-free sample. */
class Grubbs extends CleanSampleDetector {
  readonly name = 'grubbs';
  constructor(override readonly options: z.output<typeof schema>) {
    super(options);
  }

  protected test(values: Float64Array): EsdResult {
    return iteratedGrubbs(values, { alpha: this.options.alpha });
  }
}

export const grubbs = defineDetector(
  {
    name: 'grubbs',
    family: 'stats',
    summary:
      "Grubbs' test per feature, repeated while significant; scores are the largest |x - mean| / sd against the outlier-free sample",
    citation: 'Grubbs, Procedures for Detecting Outlying Observations in Samples, Technometrics 11(1):1-21 (1969)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Grubbs(o),
);
