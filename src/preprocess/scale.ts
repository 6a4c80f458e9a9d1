import { finiteSorted, mean, quantileSorted, std } from '../core/stats.js';
import type { Scaler } from './spec.js';

/** Every scaler is `(x - center) / scale`; only how the two numbers are learned differs. */
export interface ScaleParams {
  center: number;
  scale: number;
}

/**
 * Learns center and scale from the present values (missing ones are ignored, so imputation does
 * not shrink the spread). A zero or undefined spread becomes 1: the column is then only shifted.
 *  - standard: mean and population standard deviation
 *  - robust: median and interquartile range (linear-interpolated quartiles)
 *  - minmax: minimum and range, mapping training values onto [0, 1]
 *  - none: 0 and 1
 */
export function fitScale(values: ArrayLike<number>, kind: Scaler): ScaleParams {
  let center = 0;
  let spread = 1;
  switch (kind) {
    case 'standard':
      center = mean(values);
      spread = std(values, 0, center);
      break;
    case 'robust': {
      const s = finiteSorted(values);
      center = quantileSorted(s, 0.5);
      spread = quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
      break;
    }
    case 'minmax': {
      const s = finiteSorted(values);
      center = s.length ? s[0]! : NaN;
      spread = s.length ? s[s.length - 1]! - s[0]! : NaN;
      break;
    }
    case 'none':
      break;
  }
  return {
    // -0 prints as 0 in JSON; normalising keeps transform bit-identical after a save and load.
    center: Number.isFinite(center) && center !== 0 ? center : 0,
    scale: Number.isFinite(spread) && spread > 0 ? spread : 1,
  };
}

export function applyScale(x: number, p: ScaleParams): number {
  return (x - p.center) / p.scale;
}
