import { z } from 'zod';
import { MAD_TO_SD, mad, median, quantile } from '../../core/stats.js';

/**
 * One member's scores put on a common scale: (score - center) / spread, from its own training
 * scores. Robust z (median, MAD) rather than mean and standard deviation: the training rows hold
 * the anomalies too, and their scores must not set the scale they are measured on.
 */
export const scaleSchema = z.object({ center: z.number().finite(), spread: z.number().finite().positive() }).strict();
export type Scale = z.infer<typeof scaleSchema>;

export const IDENTITY: Scale = { center: 0, spread: 1 };

/**
 * The robust z scale of a member's training scores. Where half the scores tie (MAD 0, as in
 * histogram or tree scores on data with many repeats) the interquartile range, then the range,
 * stand in; a member whose scores are all equal adds a constant and so changes no ranking.
 */
export function fitScale(scores: ArrayLike<number>): Scale {
  const finite = Float64Array.from(scores).filter(Number.isFinite);
  if (!finite.length) return IDENTITY;
  const center = median(finite);
  const candidates = [
    MAD_TO_SD * mad(finite, center),
    (quantile(finite, 0.75) - quantile(finite, 0.25)) / 1.349,
    Math.max(...finite) - Math.min(...finite),
  ];
  const spread = candidates.find((s) => s > 0 && Number.isFinite(s)) ?? 1;
  return { center, spread };
}

/** Scaled scores beyond this are clipped, so an infinite member score keeps the mean finite. */
const CLIP = 1e12;

/** The mean of the members' scaled scores, row by row (a NaN member score counts as that member's median). */
export function combineScaled(perMember: readonly Float64Array[], scales: readonly Scale[]): Float64Array {
  const n = perMember[0]?.length ?? 0;
  const out = new Float64Array(n);
  perMember.forEach((s, m) => {
    const { center, spread } = scales[m]!;
    for (let i = 0; i < n; i++) {
      const v = s[i]!;
      const z = Number.isNaN(v) ? 0 : Math.max(-CLIP, Math.min(CLIP, (v - center) / spread));
      out[i]! += z / perMember.length;
    }
  });
  return out;
}
