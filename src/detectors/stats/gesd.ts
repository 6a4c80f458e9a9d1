import { z } from 'zod';
import { defineDetector } from '../define.js';
import { CleanSampleDetector, generalizedEsd, type EsdResult } from './esd.js';

export { generalizedEsd };

const schema = z.object({
  /** Upper bound on the outliers tested per feature, as a fraction of the training rows. */
  maxOutliers: z.number().gt(0).lt(1).default(0.1).describe('Upper bound on the outliers tested per feature, as a fraction of the training rows.'),
  /** Significance level of the test, and of the `auto` threshold (split over features). */
  alpha: z.number().gt(0).lt(1).default(0.05).describe('Significance level of the test, and of the `auto` threshold (split over features).'),
});

/** Generalized ESD per feature; scores are studentized deviates from the outlier-free sample. */
class Gesd extends CleanSampleDetector {
  readonly name = 'gesd';
  constructor(override readonly options: z.output<typeof schema>) {
    super(options);
  }

  protected test(values: Float64Array): EsdResult {
    // At least one step, so a small training set is still tested.
    const k = Math.max(1, Math.floor(this.options.maxOutliers * values.length));
    return generalizedEsd(values, { maxOutliers: k, alpha: this.options.alpha });
  }
}

export const gesd = defineDetector(
  {
    name: 'gesd',
    family: 'stats',
    summary:
      'generalized ESD test per feature on the training data; scores are the largest |x - mean| / sd against the outlier-free sample',
    citation:
      'Rosner, Percentage Points for a Generalized ESD Many-Outlier Procedure, Technometrics 25(2):165-172 (1983)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Gesd(o),
);
