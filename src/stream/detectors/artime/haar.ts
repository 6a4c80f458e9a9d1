/**
 * The full orthonormal Haar wavelet transform of a power-of-two-long signal: pairwise sums and
 * differences (later minus earlier, the sign ARTime's features were published with) over 1/√2,
 * repeated on the sums. Output order: the last approximation, then the
 * details from the coarsest level to the finest, so the first coefficients describe the whole window
 * and the last ones its neighbouring steps.
 */
export function haar(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n === 0 || (n & (n - 1)) !== 0) throw new RangeError(`haar: length must be a power of two, got ${n}`);
  const out = new Float64Array(n);
  let approx = Float64Array.from(x);
  for (let len = n; len > 1; len >>= 1) {
    const half = len >> 1;
    const next = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      next[k] = (approx[2 * k]! + approx[2 * k + 1]!) * Math.SQRT1_2;
      out[half + k] = (approx[2 * k + 1]! - approx[2 * k]!) * Math.SQRT1_2;
    }
    approx = next;
  }
  out[0] = approx[0]!;
  return out;
}
