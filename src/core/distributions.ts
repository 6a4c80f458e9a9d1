/**
 * Distribution functions the statistical tests need: Student's t and chi-square CDFs and
 * quantiles, exact through the regularized incomplete beta and gamma functions
 * (continued fractions as in Numerical Recipes, 3rd ed., sections 6.2 and 6.4).
 * Tail probabilities are computed directly rather than as 1 - CDF, because the outlier tests
 * work at probabilities like alpha / (2n), where 1 - CDF would lose most of its digits.
 */

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITER = 10000;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7), relative error near 1e-15. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b). `y` is 1 - x, passed separately when the caller
 * knows it more precisely than 1 - x can be computed.
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y);
  const bt = Math.exp(lbt);
  // The continued fraction converges fast only on this side of the mean; use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (bt * betaContinuedFraction(a, b, x)) / a;
  return 1 - (bt * betaContinuedFraction(b, a, y)) / b;
}

/** Upper tail P(T > t) of Student's t with `df` degrees of freedom. */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2); 1 - x written as t^2/(df+t^2) to keep tail digits.
  const half = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t >= 0 ? half : 1 - half;
}

export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

export function studentTPdf(t: number, df: number): number {
  const lc = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(lc - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Solves tail(x) = target for x in [lo, inf) with tail decreasing, by Newton steps on the tail
 * (derivative -pdf) kept inside a bisection bracket, so it cannot diverge in the far tail.
 */
function invertDecreasing(
  tail: (x: number) => number,
  pdf: (x: number) => number,
  target: number,
  lo: number,
  start: number,
): number {
  let a = lo;
  let b = Math.max(start, lo + 1);
  while (tail(b) > target) {
    a = b;
    b *= 2;
    if (b > 1e300) return Infinity;
  }
  let x = Math.min(Math.max(start, a), b);
  for (let i = 0; i < 200; i++) {
    const f = tail(x) - target;
    if (f === 0) return x;
    if (f > 0) a = x;
    else b = x;
    const p = pdf(x);
    let next = p > 0 ? x + f / p : NaN;
    if (!(next > a && next < b)) next = 0.5 * (a + b);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x)) || b - a <= 1e-15 * Math.max(1, Math.abs(a))) return next;
    x = next;
  }
  return x;
}

/** The t with P(T > t) = q (the upper quantile), exact to about 1e-14 relative. */
export function studentTUpperQuantile(q: number, df: number): number {
  if (!(q > 0 && q < 1)) {
    if (q === 0) return Infinity;
    if (q === 1) return -Infinity;
    return NaN;
  }
  if (q > 0.5) return -studentTUpperQuantile(1 - q, df);
  if (q === 0.5) return 0;
  return invertDecreasing(
    (t) => studentTSf(t, df),
    (t) => studentTPdf(t, df),
    q,
    0,
    1,
  );
}

/** The t with P(T <= t) = p. */
export function studentTQuantile(p: number, df: number): number {
  return studentTUpperQuantile(1 - p, df);
}

/** Series for the lower regularized gamma P(a, x); converges quickly for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction for the upper regularized gamma Q(a, x); for x >= a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Upper regularized gamma Q(a, x) = Gamma(a, x) / Gamma(a). */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Lower regularized gamma P(a, x) = gamma(a, x) / Gamma(a). */
export function lowerGamma(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

export function chiSquareCdf(x: number, df: number): number {
  return lowerGamma(df / 2, x / 2);
}

/** P(X > x) for chi-square with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  return upperGamma(df / 2, x / 2);
}

export function chiSquarePdf(x: number, df: number): number {
  if (x <= 0) return df === 2 ? 0.5 : df < 2 ? Infinity : 0;
  const k = df / 2;
  return Math.exp((k - 1) * Math.log(x) - x / 2 - k * Math.LN2 - logGamma(k));
}

/** The x with P(X <= x) = p, exact through the regularized gamma function. */
export function chiSquareQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  // Search on whichever tail is the smaller probability, so neither end loses digits.
  if (p > 0.5) {
    return invertDecreasing(
      (x) => chiSquareSf(x, df),
      (x) => chiSquarePdf(x, df),
      1 - p,
      0,
      df,
    );
  }
  return invertDecreasing(
    (x) => -chiSquareCdf(x, df),
    (x) => chiSquarePdf(x, df),
    -p,
    0,
    df,
  );
}

/** Standard normal upper tail P(Z > z), through erfc(z / sqrt 2) = Q(1/2, z^2 / 2). */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const half = 0.5 * upperGamma(0.5, (z * z) / 2);
  return z >= 0 ? half : 1 - half;
}
