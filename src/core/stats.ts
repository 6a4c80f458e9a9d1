/** Small order statistics shared by scalers, thresholds and detectors. NaN values are ignored. */

export function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** Quantile of sorted values with linear interpolation (numpy's default, type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const f = pos - lo;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * f;
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(finiteSorted(values), q);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Median absolute deviation (unscaled). */
export function mad(values: ArrayLike<number>, center = median(values)): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i]! - center);
  return median(dev);
}

/** Scale factor that makes the MAD a consistent estimator of a normal standard deviation. */
export const MAD_TO_SD = 1.482602218505602;

/** Smallest and largest value ([Infinity, -Infinity] for none). */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Standard deviation with `ddof` degrees of freedom removed (0 = population, 1 = sample). */
export function std(values: ArrayLike<number>, ddof = 0, mu = mean(values)): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      s += (v - mu) * (v - mu);
      n++;
    }
  }
  return n - ddof > 0 ? Math.sqrt(s / (n - ddof)) : NaN;
}

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]!] === values[idx[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]!] = r;
    i = j + 1;
  }
  return ranks;
}
