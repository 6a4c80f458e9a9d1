/**
 * Maximum-likelihood fit of the Generalized Pareto Distribution (GPD) to excesses over a high
 * threshold. By the Pickands-Balkema-de Haan theorem the excesses of almost any continuous
 * distribution over a high enough threshold are close to a GPD, which is what lets
 * peaks-over-threshold extrapolate a quantile far beyond the data (Siffer et al. 2017, KDD,
 * "Anomaly Detection in Streams with Extreme Value Theory").
 *
 * GPD(γ, σ): P(Y > y) = (1 + γ y / σ)^(-1/γ), and e^(-y/σ) in the limit γ = 0.
 *
 * The fit follows Grimshaw (1993, Technometrics 35(2), "Computing maximum likelihood estimates
 * for the generalized Pareto distribution"): with x = γ/σ, the likelihood maximised over γ for a
 * fixed x has the closed form γ(x) = mean(log(1 + x Y)), σ = γ(x)/x, so the fit is a 1-D search
 * over x. Grimshaw (and SPOT) solve u(x) v(x) = 1 for the stationary points; we maximise the same
 * profile likelihood directly (its derivative is N (u v - 1) / (x γ(x))), which handles the
 * exponential limit x -> 0 without the spurious root that u v = 1 always has at 0.
 */
import { brentMinimize } from '../core/brent.js';
import { DataError } from '../core/errors.js';

export interface GpdFit {
  /** Shape (extreme-value index): > 0 heavy tail, 0 exponential, < 0 bounded tail ending at σ/|γ|. */
  gamma: number;
  /** Scale, > 0. */
  sigma: number;
  /** Grimshaw's γ/σ at the fit; a later refit on slightly changed excesses starts from it. */
  x: number;
  /** Log-likelihood of the excesses at (γ, σ). */
  logLik: number;
}

/** Summary of the excesses that the search needs besides the values themselves. */
interface Sample {
  y: ArrayLike<number>;
  n: number;
  mean: number;
  max: number;
}

function summarise(y: ArrayLike<number>): Sample {
  const n = y.length;
  if (n < 2) throw new DataError(`a GPD fit needs at least 2 excesses, got ${n}`);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new DataError(`GPD excesses must be finite and > 0; excess ${i + 1} is ${v}`);
    sum += v;
    if (v > max) max = v;
  }
  return { y, n, mean: sum / n, max };
}

/** γ(x) = mean(log(1 + x Y)): the shape that maximises the likelihood for a fixed x = γ/σ. */
function shapeAt(s: Sample, x: number): number {
  let acc = 0;
  for (let i = 0; i < s.n; i++) acc += Math.log1p(x * s.y[i]!);
  return acc / s.n;
}

/**
 * Profile log-likelihood per excess at x. With σ = γ/x the log-likelihood
 * -N log σ - (1 + 1/γ) Σ log(1 + γ Y/σ) collapses to -N (log σ + 1 + γ).
 */
function profile(s: Sample, x: number): number {
  if (x === 0) return -Math.log(s.mean) - 1;
  if (!(x * s.max > -1)) return -Infinity;
  const g = shapeAt(s, x);
  const sigma = g / x;
  if (!(sigma > 0) || !Number.isFinite(sigma)) return -Infinity;
  return -Math.log(sigma) - 1 - g;
}

function fitAt(s: Sample, x: number): GpdFit {
  if (x === 0) return { gamma: 0, sigma: s.mean, x: 0, logLik: s.n * profile(s, 0) };
  const gamma = shapeAt(s, x);
  return { gamma, sigma: gamma / x, x, logLik: s.n * profile(s, x) };
}

/**
 * The search grid over x: log-spaced towards both ends of (-1/Y_max, 0), where bounded tails with
 * γ near -1 and near-exponential tails sit, and over six decades either side of 1/mean on x > 0.
 */
function grid(s: Sample): number[] {
  const xs: number[] = [0];
  for (let a = 0.1; a <= 12 + 1e-9; a += 0.1) {
    xs.push(-Math.pow(10, -a) / s.max);
    xs.push((-1 + Math.pow(10, -a)) / s.max);
  }
  for (let a = -10; a <= 8 + 1e-9; a += 0.1) xs.push(Math.pow(10, a) / s.mean);
  return [...new Set(xs)].filter((x) => x * s.max > -1).sort((p, q) => p - q);
}

/** Refines a bracketed local maximum of the profile. */
function refine(s: Sample, lo: number, hi: number): number {
  return brentMinimize((x) => -profile(s, x), lo, hi, { absTol: 1e-14 / s.mean }).x;
}

/**
 * Interior local maxima of the profile with γ > -1. The likelihood is unbounded as x -> -1/Y_max
 * (σ -> γ Y_max), and for γ <= -1 no regular maximum exists (Smith 1985, Biometrika 72(1)), so
 * only interior maxima with γ > -1 are candidates. Without one the exponential fit (γ = 0) is
 * returned: the data then carry no usable evidence about the shape.
 */
function fullSearch(s: Sample): GpdFit {
  const xs = grid(s);
  const gs = xs.map((x) => profile(s, x));
  let best = fitAt(s, 0);
  let found = false;
  for (let j = 1; j < xs.length - 1; j++) {
    if (!(gs[j]! >= gs[j - 1]! && gs[j]! >= gs[j + 1]!) || !Number.isFinite(gs[j]!)) continue;
    const fit = fitAt(s, refine(s, xs[j - 1]!, xs[j + 1]!));
    if (!(fit.gamma > -1) || !Number.isFinite(fit.logLik)) continue;
    if (!found || fit.logLik > best.logLik) best = fit;
    found = true;
  }
  return best;
}

/**
 * Newton's method on the profile's derivative from a previous solution: one pass over the
 * excesses gives γ(x), γ'(x) and γ''(x), hence g' and g'', and a warm start converges in a few
 * passes where a bracketing search needs about twenty. Gives up (undefined) unless every step
 * stays in the domain, the curvature stays negative (a maximum), and the steps shrink.
 */
function newtonSearch(s: Sample, start: number): GpdFit | undefined {
  // Near x = 0 the terms 1/x and γ'/γ cancel badly; leave that region to the bracketing search.
  if (!(Math.abs(start) * s.max > 1e-6)) return undefined;
  let x = start;
  for (let iter = 0; iter < 30; iter++) {
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < s.n; i++) {
      const y = s.y[i]!;
      const a = 1 + x * y;
      const r = y / a;
      g0 += Math.log1p(x * y);
      g1 += r;
      g2 -= r * r;
    }
    g0 /= s.n;
    g1 /= s.n;
    g2 /= s.n;
    // g(x) = -log(γ/x) - 1 - γ, so g' = -γ'/γ + 1/x - γ', g'' = -γ''/γ + (γ'/γ)² - 1/x² - γ''.
    const d1 = -g1 / g0 + 1 / x - g1;
    const d2 = -g2 / g0 + (g1 / g0) * (g1 / g0) - 1 / (x * x) - g2;
    if (!(d2 < 0) || !Number.isFinite(d1)) return undefined;
    const step = -d1 / d2;
    const next = x + step;
    if (!(next * s.max > -1) || Math.sign(next) !== Math.sign(x) || Math.abs(next) * s.max < 1e-6) return undefined;
    x = next;
    if (Math.abs(step) <= 1e-10 * Math.abs(x)) {
      const fit = fitAt(s, x);
      return fit.gamma > -1 && Number.isFinite(fit.logLik) ? fit : undefined;
    }
  }
  return undefined;
}

/**
 * From a previous solution: walk uphill from `start` with doubling steps until the maximum is
 * bracketed, then refine. Falls back to the full search when the walk reaches the edge of the
 * domain or wanders too far, so a warm start can cost speed but never correctness of the bracket.
 */
function localSearch(s: Sample, start: number): GpdFit | undefined {
  const lo = -1 / s.max;
  if (!(start > lo)) return undefined;
  let step = 0.05 * Math.abs(start) + 1e-3 / s.mean;
  let a = Math.max(start - step, start - 0.5 * (start - lo));
  let b = start + step;
  let fa = profile(s, a);
  let fm = profile(s, start);
  let fb = profile(s, b);
  let m = start;
  for (let k = 0; k < 60 && !(fm >= fa && fm >= fb); k++) {
    step *= 2;
    if (fb > fa) {
      [a, fa, m, fm] = [m, fm, b, fb];
      b = m + step;
      fb = profile(s, b);
    } else {
      [b, fb, m, fm] = [m, fm, a, fa];
      a = m - step;
      if (!(a > lo)) return undefined;
      fa = profile(s, a);
    }
  }
  if (!(fm >= fa && fm >= fb)) return undefined;
  const fit = fitAt(s, refine(s, a, b));
  return fit.gamma > -1 && Number.isFinite(fit.logLik) ? fit : undefined;
}

/**
 * Maximum-likelihood GPD fit of `excesses` (all > 0). Pass `start` (a previous fit's `x`) when the
 * excesses changed a little since that fit, as in streaming SPOT: the search then starts there.
 */
export function fitGpd(excesses: ArrayLike<number>, start?: number): GpdFit {
  const s = summarise(excesses);
  if (start !== undefined && Number.isFinite(start)) {
    const fit = newtonSearch(s, start) ?? localSearch(s, start);
    if (fit) return fit;
  }
  return fullSearch(s);
}

/** Log-likelihood of excesses under GPD(γ, σ); -Infinity outside the support. */
export function gpdLogLikelihood(excesses: ArrayLike<number>, gamma: number, sigma: number): number {
  const n = excesses.length;
  if (!(sigma > 0)) return -Infinity;
  let acc = -n * Math.log(sigma);
  for (let i = 0; i < n; i++) {
    const z = excesses[i]! / sigma;
    if (gamma === 0) acc -= z;
    else {
      const t = gamma * z;
      if (!(t > -1)) return -Infinity;
      acc -= (1 + 1 / gamma) * Math.log1p(t);
    }
  }
  return acc;
}

/** The GPD(γ, σ) quantile at probability u in [0, 1): σ/γ ((1 - u)^(-γ) - 1), or -σ ln(1 - u). */
export function gpdInverseCdf(u: number, gamma: number, sigma: number): number {
  const l = Math.log1p(-u);
  return gamma === 0 ? -sigma * l : (sigma / gamma) * Math.expm1(-gamma * l);
}

/**
 * The peaks-over-threshold quantile: the value exceeded with probability q when n observations
 * had nPeaks excesses over t fitted by `fit`. z_q = t + σ/γ ((q n / N_t)^(-γ) - 1)
 * (Siffer et al. 2017); written with expm1 so the γ -> 0 limit t - σ ln(q n / N_t)
 * holds without a special case near 0.
 */
export function potQuantile(t: number, fit: Pick<GpdFit, 'gamma' | 'sigma'>, q: number, n: number, nPeaks: number): number {
  const l = Math.log((q * n) / nPeaks);
  return fit.gamma === 0 ? t - fit.sigma * l : t + (fit.sigma / fit.gamma) * Math.expm1(-fit.gamma * l);
}
