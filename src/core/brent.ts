/**
 * Brent's one-dimensional minimiser (Brent 1973, "Algorithms for Minimization without
 * Derivatives", ch. 5): golden-section steps that switch to parabolic interpolation when it is
 * safe, so smooth functions converge superlinearly while the golden-section fallback still
 * guarantees progress. Used where a fitted parameter is the optimum of a 1-D profile likelihood.
 */

const GOLDEN = 0.3819660112501051; // (3 - sqrt(5)) / 2

export interface Minimum {
  x: number;
  fx: number;
  evaluations: number;
}

/**
 * A local minimum of `f` on [a, b]. Stops when the bracket around the minimum has shrunk to
 * about `tol * |x| + absTol`, or after `maxIter` steps. A tol below sqrt(machine epsilon) (the
 * default) buys nothing: near a minimum f is flat to within rounding over that distance.
 */
export function brentMinimize(
  f: (x: number) => number,
  a: number,
  b: number,
  { tol = 1.5e-8, absTol = 1e-300, maxIter = 200 }: { tol?: number; absTol?: number; maxIter?: number } = {},
): Minimum {
  if (a > b) [a, b] = [b, a];
  let x = a + GOLDEN * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let evaluations = 1;
  for (let iter = 0; iter < maxIter; iter++) {
    const m = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + absTol;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) break;
    let parabolic = false;
    if (Math.abs(e) > tol1) {
      // Fit a parabola through x, w, v; accept its vertex only if it falls inside the bracket
      // and moves less than half the step before last (Brent's safeguard against cycling).
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        parabolic = true;
      }
    }
    if (!parabolic) {
      e = x < m ? b - x : a - x;
      d = GOLDEN * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    evaluations++;
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, fx, evaluations };
}
