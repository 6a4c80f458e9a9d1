/**
 * Exponentially weighted moving average with span s (α = 2 / (s + 1)), bias-corrected from the
 * first value as pandas' `ewm(span=s).mean()` with its default adjust=True: y_t is the weighted
 * mean of x_0..x_t with weights (1 - α)^(t - i). Telemanom smooths its errors this way
 * (Hundman et al. 2018), so using the same definition keeps thresholds comparable.
 * NaN inputs are skipped: they neither contribute nor age the weights (pandas' ignore_na=True).
 */
export function ewma(values: ArrayLike<number>, span: number): Float64Array {
  if (!(span >= 1)) throw new RangeError(`ewma: span must be >= 1, got ${span}`);
  const keep = 1 - 2 / (span + 1);
  const out = new Float64Array(values.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      num = v + keep * num;
      den = 1 + keep * den;
    }
    out[i] = den > 0 ? num / den : NaN;
  }
  return out;
}
