import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { squaredDistance } from '../../core/linalg.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import type { Detector, DetectorState, FitContext, Json } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';

const schema = z.object({
  /** Number of clusters; when absent, chosen in [2, maxK] by the best mean silhouette. */
  k: z.number().int().min(1).optional().describe('Number of clusters; when absent, chosen in [2, maxK] by the best mean silhouette.'),
  maxK: z.number().int().min(2).default(10),
  /** k-means++ restarts; the run with the lowest inertia is kept. */
  nInit: z.number().int().min(1).default(5).describe('k-means++ restarts; the run with the lowest inertia is kept.'),
  maxIter: z.number().int().min(1).default(300),
  /** Convergence: total squared centre shift below tol times the mean feature variance (scikit-learn's rule). */
  tol: z.number().min(0).default(1e-4).describe('Convergence: total squared centre shift below tol times the mean feature variance (scikit-learn\'s rule).'),
  /** Rows (a seeded sample) on which the silhouette is computed when choosing k. */
  silhouetteRows: z.number().int().min(10).default(1000).describe('Rows (a seeded sample) on which the silhouette is computed when choosing k.'),
  /**
   * Clusters holding less than this fraction of the training rows are taken for groups of
   * outliers, and their centroids are not used for scoring (0 keeps every centroid).
   */
  minClusterFraction: z.number().min(0).lt(1).default(0.05).describe('Clusters holding less than this fraction of the training rows are taken for groups of outliers, and their centroids are not used for scoring (0 keeps every centroid).'),
  seed: z.number().int().default(0),
});
type Options = z.output<typeof schema>;

export interface Clustering {
  /** k x d row-major. */
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
}

/** Seeding by D^2 sampling (Arthur & Vassilvitskii 2007), the plain one-candidate version. */
function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = squaredDistance(data, i * d, centers, 0, d);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i]!;
    let pick = n - 1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        r -= d2[i]!;
        if (r < 0) {
          pick = i;
          break;
        }
      }
    } else {
      // Every row already sits on a centre (fewer distinct rows than k): any row will do.
      pick = rng.int(n);
    }
    centers.set(data.subarray(pick * d, pick * d + d), c * d);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i]!, squaredDistance(data, i * d, centers, c * d, d));
  }
  return centers;
}

/** Nearest centre of every row; fills labels and squared distances, returns the inertia. */
function assign(X: Matrix, centers: Float64Array, k: number, labels: Int32Array, d2: Float64Array): number {
  const { rows: n, cols: d, data } = X;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const s = squaredDistance(data, i * d, centers, c * d, d);
      if (s < best) {
        best = s;
        arg = c;
      }
    }
    labels[i] = arg;
    d2[i] = best;
    inertia += best;
  }
  return inertia;
}

/** Lloyd iterations from the given centres (modified in place). */
function lloyd(X: Matrix, centers: Float64Array, k: number, maxIter: number, tolAbs: number): Clustering {
  const { rows: n, cols: d, data } = X;
  const labels = new Int32Array(n);
  const d2 = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let it = 0; it < maxIter; it++) {
    assign(X, centers, k, labels, d2);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
    }
    // An empty cluster is moved onto the row worst served by its centre, as scikit-learn does.
    for (let c = 0; c < k; c++) {
      if (counts[c]! > 0) continue;
      let far = 0;
      for (let i = 1; i < n; i++) if (d2[i]! > d2[far]!) far = i;
      const from = labels[far]!;
      if (counts[from]! > 1) {
        counts[from]!--;
        for (let j = 0; j < d; j++) sums[from * d + j]! -= data[far * d + j]!;
      }
      for (let j = 0; j < d; j++) sums[c * d + j] = data[far * d + j]!;
      counts[c] = 1;
      labels[far] = c;
      d2[far] = -1;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j]! / counts[c]!;
        shift += (v - centers[c * d + j]!) ** 2;
        centers[c * d + j] = v;
      }
    }
    if (shift <= tolAbs) break;
  }
  const inertia = assign(X, centers, k, labels, d2);
  return { centers, labels, inertia };
}

/** Best of `nInit` k-means++ / Lloyd runs by inertia; ties keep the earlier run. */
export function kmeansFit(
  X: Matrix,
  k: number,
  opts: { nInit: number; maxIter: number; tol: number; rng: Rng },
): Clustering {
  const { rows: n, cols: d, data } = X;
  let meanVar = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) s += data[i * d + j]!;
    const mu = s / n;
    for (let i = 0; i < n; i++) ss += (data[i * d + j]! - mu) ** 2;
    meanVar += ss / n;
  }
  const tolAbs = (opts.tol * meanVar) / Math.max(1, d);
  let best: Clustering | undefined;
  for (let r = 0; r < opts.nInit; r++) {
    const run = lloyd(X, kmeansPlusPlus(X, k, opts.rng), k, opts.maxIter, tolAbs);
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best!;
}

/**
 * Mean silhouette (Rousseeuw 1987) of labelled points given their pairwise distances
 * (s x s row-major). A point alone in its cluster counts 0, as in scikit-learn; with fewer than
 * two clusters present the silhouette is undefined and NaN is returned.
 */
export function meanSilhouette(dist: Float64Array, labels: Int32Array, k: number): number {
  const s = labels.length;
  const counts = new Int32Array(k);
  for (let i = 0; i < s; i++) counts[labels[i]!]!++;
  let present = 0;
  for (let c = 0; c < k; c++) if (counts[c]! > 0) present++;
  if (present < 2) return NaN;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < s; i++) {
    sums.fill(0);
    for (let j = 0; j < s; j++) sums[labels[j]!]! += dist[i * s + j]!;
    const own = labels[i]!;
    if (counts[own]! < 2) continue;
    const a = sums[own]! / (counts[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / s;
}

interface Learned {
  /** Centroids used for scoring (the clusters large enough), row-major, features wide. */
  centers: Float64Array;
  features: number;
  /** Number of clusters found (given, or chosen by silhouette), including dropped small ones. */
  k: number;
  /** Mean silhouette of the chosen k, when k was chosen. */
  silhouette?: number;
}

/**
 * The centroids of clusters holding at least `fraction` of the rows; the largest cluster is
 * always kept. Without this, silhouette readily picks a k that gives a few far outliers their
 * own clusters, and they then sit at distance ~0 from a centroid (as CBLOF's split into small
 * and large clusters, He, Xu & Deng 2003).
 */
function largeClusters(c: Clustering, k: number, d: number, fraction: number): Float64Array {
  const sizes = new Int32Array(k);
  for (const l of c.labels) sizes[l]!++;
  let largest = 0;
  for (let j = 1; j < k; j++) if (sizes[j]! > sizes[largest]!) largest = j;
  const keep: number[] = [];
  for (let j = 0; j < k; j++) if (j === largest || sizes[j]! >= fraction * c.labels.length) keep.push(j);
  const out = new Float64Array(keep.length * d);
  keep.forEach((j, r) => out.set(c.centers.subarray(j * d, (j + 1) * d), r * d));
  return out;
}

/** Distance to the nearest k-means centroid. */
class KMeans implements Detector {
  readonly name = 'kmeans';
  readonly options: Readonly<Record<string, Json>>;
  private learned?: Learned;

  constructor(private readonly o: Options) {
    // An absent k stays absent rather than becoming undefined, which JSON cannot hold.
    this.options = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, Json>;
  }

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix, ctx?: FitContext): Promise<void> {
    const n = X.rows;
    if (n < 1) throw new DataError('kmeans needs at least one row');
    const { nInit, maxIter, tol, minClusterFraction: frac } = this.o;
    const root = new Rng(this.o.seed);
    const sampleRng = root.fork();
    const rng = root.fork();
    if (this.o.k !== undefined) {
      if (this.o.k > n) throw new DataError(`kmeans: k = ${this.o.k} exceeds the ${n} training rows`);
      const c = kmeansFit(X, this.o.k, { nInit, maxIter, tol, rng });
      this.learned = { centers: largeClusters(c, this.o.k, X.cols, frac), features: X.cols, k: this.o.k };
      return;
    }
    const hiK = Math.min(this.o.maxK, n - 1);
    if (hiK < 2) {
      this.learned = { centers: kmeansFit(X, 1, { nInit, maxIter, tol, rng }).centers, features: X.cols, k: 1 };
      return;
    }
    const sample = sampleRng.sample(n, Math.min(n, this.o.silhouetteRows)).sort();
    const dist = sampleDistances(X, sample);
    const sampleLabels = new Int32Array(sample.length);
    let best: { c: Clustering; k: number; silhouette: number } | undefined;
    for (let k = 2; k <= hiK; k++) {
      ctx?.signal?.throwIfAborted();
      const c = kmeansFit(X, k, { nInit, maxIter, tol, rng });
      for (let t = 0; t < sample.length; t++) sampleLabels[t] = c.labels[sample[t]!]!;
      const sil = meanSilhouette(dist, sampleLabels, k);
      const value = Number.isNaN(sil) ? -1 : sil;
      if (!best || value > best.silhouette) best = { c, k, silhouette: value };
      ctx?.onProgress?.({ fraction: (k - 1) / (hiK - 1), message: `k = ${k}: silhouette ${value.toFixed(3)}` });
    }
    const { c, k, silhouette } = best!;
    this.learned = { centers: largeClusters(c, k, X.cols, frac), features: X.cols, k, silhouette };
  }

  /** The number of clusters found (given, or chosen by silhouette), small ones included. */
  get k(): number {
    return fittedOr(this.learned, this.name).k;
  }

  async score(X: Matrix): Promise<Float64Array> {
    const { centers, features: d } = fittedOr(this.learned, this.name);
    this.checkCols(X);
    const k = centers.length / d;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = Infinity;
      for (let c = 0; c < k; c++) best = Math.min(best, squaredDistance(X.data, i * d, centers, c * d, d));
      out[i] = Math.sqrt(best);
    }
    return out;
  }

  /** Squared difference to the nearest centroid per feature (they sum to the score squared). */
  async explain(X: Matrix): Promise<Matrix> {
    const { centers, features: d } = fittedOr(this.learned, this.name);
    this.checkCols(X);
    const k = centers.length / d;
    const out = matrix(X.rows, d);
    for (let i = 0; i < X.rows; i++) {
      let best = Infinity;
      let arg = 0;
      for (let c = 0; c < k; c++) {
        const s = squaredDistance(X.data, i * d, centers, c * d, d);
        if (s < best) {
          best = s;
          arg = c;
        }
      }
      for (let j = 0; j < d; j++) out.data[i * d + j] = (X.data[i * d + j]! - centers[arg * d + j]!) ** 2;
    }
    return out;
  }

  private checkCols(X: Matrix): void {
    const d = fittedOr(this.learned, this.name).features;
    checkFeatures('kmeans', d, X);
  }

  getState(): DetectorState {
    const { centers, features, k, silhouette } = fittedOr(this.learned, this.name);
    const params: Record<string, Json> = { k, features, centroids: centers.length / features };
    if (silhouette !== undefined) params['silhouette'] = silhouette;
    return { params, arrays: { centers } };
  }

  setState(s: DetectorState): void {
    const k = stateNumber(s, 'k');
    const features = stateNumber(s, 'features');
    const centroids = stateNumber(s, 'centroids');
    const centers = stateArray(s, 'centers', Float64Array);
    if (centers.length !== centroids * features) throw new FormatError('kmeans: saved centres do not match centroids x features');
    const sil = s.params['silhouette'];
    this.learned = { centers, features, k, ...(typeof sil === 'number' ? { silhouette: sil } : {}) };
  }
}

function sampleDistances(X: Matrix, idx: Int32Array): Float64Array {
  const s = idx.length;
  const d = X.cols;
  const out = new Float64Array(s * s);
  for (let a = 0; a < s; a++) {
    for (let b = a + 1; b < s; b++) {
      const v = Math.sqrt(squaredDistance(X.data, idx[a]! * d, X.data, idx[b]! * d, d));
      out[a * s + b] = v;
      out[b * s + a] = v;
    }
  }
  return out;
}

export const kmeans = defineDetector(
  {
    name: 'kmeans',
    family: 'stats',
    summary:
      'distance to the nearest centroid of a large k-means cluster (k-means++ seeding, k chosen by silhouette when not given)',
    citation:
      'Lloyd, Least Squares Quantization in PCM, IEEE Trans. Inf. Theory 28(2) (1982); Arthur & Vassilvitskii, k-means++, SODA 2007; Rousseeuw, Silhouettes, J. Comput. Appl. Math. 20 (1987)',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new KMeans(o),
);
