import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';

const schema = z.object({
  nEstimators: z.number().int().min(1).default(100),
  /** Rows drawn (without replacement) to grow each tree; capped at the training rows. */
  maxSamples: z.number().int().min(2).default(256).describe('Rows drawn (without replacement) to grow each tree; capped at the training rows.'),
  seed: z.number().int().default(0),
  /**
   * Score above which a row is anomalous when the threshold is `auto`; unset, `auto` uses the
   * far-out fence of the training scores (see threshold/auto.ts).
   */
  cutoff: z.number().gt(0).lt(1).optional().describe('Score above which a row is anomalous when the threshold is `auto`; unset, `auto` uses the far-out fence of the training scores (see threshold/auto.ts).'),
});

const EULER_GAMMA = 0.5772156649015329;

/**
 * Average path length of an unsuccessful search in a binary search tree of n points: the
 * normaliser of Liu et al. (2008), with scikit-learn's values at n <= 2.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * All trees in flat arrays, node ids global across trees so one loop walks any tree;
 * `feature` is -1 at leaves.
 */
interface Forest {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Training rows that reached the node (what the leaf correction c(size) needs). */
  size: Int32Array;
  /** Rows per tree, the psi of the normaliser c(psi). */
  samples: number;
  features: number;
}

interface Learned extends Forest {
  /** Derived from the forest, not saved: depth + c(size) at leaves. */
  leafPath: Float64Array;
}

function withLeafPaths(f: Forest): Learned {
  const leafPath = new Float64Array(f.feature.length);
  const walk = (node: number, depth: number): void => {
    if (f.feature[node]! < 0) {
      leafPath[node] = depth + averagePathLength(f.size[node]!);
      return;
    }
    walk(f.left[node]!, depth + 1);
    walk(f.right[node]!, depth + 1);
  };
  for (const r of f.roots) walk(r, 0);
  return { ...f, leafPath };
}

/** Isolation Forest: anomalies are isolated by fewer random axis-parallel splits. */
class IsolationForest implements Detector {
  readonly name = 'iforest';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    const n = X.rows;
    const d = X.cols;
    if (n < 2) throw new DataError(`iforest needs at least 2 rows, got ${n}`);
    if (d < 1) throw new DataError('iforest needs at least one feature');
    const psi = Math.min(this.options.maxSamples, n);
    const trees = this.options.nEstimators;
    // scikit-learn's height limit: about the depth of a balanced tree over psi points.
    const maxDepth = Math.ceil(Math.log2(psi));
    const cap = trees * (2 * psi - 1);
    const feature = new Int32Array(cap);
    const threshold = new Float64Array(cap);
    const left = new Int32Array(cap);
    const right = new Int32Array(cap);
    const size = new Int32Array(cap);
    const roots = new Int32Array(trees);
    const rng = new Rng(this.options.seed);
    const data = X.data;
    const feats = new Int32Array(d);
    for (let j = 0; j < d; j++) feats[j] = j;
    let count = 0;

    const grow = (rows: Int32Array, s: number, e: number, depth: number): number => {
      const node = count++;
      size[node] = e - s;
      feature[node] = -1;
      if (e - s < 2 || depth >= maxDepth) return node;
      // A uniformly random feature among those not constant in the node, as scikit-learn's
      // random splitter draws until it meets one; a node with none left stays a leaf.
      let f = -1;
      let lo = 0;
      let hi = 0;
      for (let m = d; m > 0 && f < 0; m--) {
        const k = rng.int(m);
        const cand = feats[k]!;
        feats[k] = feats[m - 1]!;
        feats[m - 1] = cand;
        lo = Infinity;
        hi = -Infinity;
        for (let p = s; p < e; p++) {
          const v = data[rows[p]! * d + cand]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (hi > lo) f = cand;
      }
      if (f < 0) return node;
      let t = rng.uniform(lo, hi);
      // Rounding can land on hi, which would send every row left.
      if (t >= hi) t = lo;
      let mid = s;
      for (let p = s; p < e; p++) {
        const r = rows[p]!;
        if (data[r * d + f]! <= t) {
          rows[p] = rows[mid]!;
          rows[mid++] = r;
        }
      }
      feature[node] = f;
      threshold[node] = t;
      left[node] = grow(rows, s, mid, depth + 1);
      right[node] = grow(rows, mid, e, depth + 1);
      return node;
    };

    // One running permutation, partially reshuffled per tree: each tree still gets a uniform
    // sample without replacement, at O(psi) rather than O(n) per tree on large inputs.
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let t = 0; t < trees; t++) {
      for (let i = 0; i < psi; i++) {
        const j = i + rng.int(n - i);
        const x = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = x;
      }
      roots[t] = grow(pool.slice(0, psi), 0, psi, 0);
    }
    this.learned = withLeafPaths({
      roots,
      feature: feature.slice(0, count),
      threshold: threshold.slice(0, count),
      left: left.slice(0, count),
      right: right.slice(0, count),
      size: size.slice(0, count),
      samples: psi,
      features: d,
    });
  }

  /** s(x) = 2^(-E[h(x)] / c(psi)), in (0, 1); about 0.5 or less for normal rows. */
  async score(X: Matrix): Promise<Float64Array> {
    const { roots, feature, threshold, left, right, leafPath, samples, features: d } = fittedOr(this.learned, this.name);
    checkFeatures('iforest', d, X);
    const n = X.rows;
    const data = X.data;
    const total = new Float64Array(n);
    // Tree by tree, so one tree's nodes stay in cache while all rows pass through it.
    for (const root of roots) {
      for (let i = 0; i < n; i++) {
        const o = i * d;
        let node = root;
        let f = feature[node]!;
        while (f >= 0) {
          node = data[o + f]! <= threshold[node]! ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        total[i]! += leafPath[node]!;
      }
    }
    const norm = roots.length * averagePathLength(samples);
    for (let i = 0; i < n; i++) total[i] = 2 ** (-total[i]! / norm);
    return total;
  }

  /**
   * Only a cutoff the user gave. Liu et al. read s near 1 as an anomaly and s well below 0.5 as
   * normal, but 0.5 (scikit-learn's contamination='auto') is no cutoff: on skewed or one-hot
   * features most rows' paths are short and 19-37% of ordinary fraud data scored above it.
   */
  naturalThreshold(): number | undefined {
    return this.options.cutoff;
  }

  getState(): DetectorState {
    const { roots, feature, threshold, left, right, size, samples, features } = fittedOr(this.learned, this.name);
    return { params: { samples, features }, arrays: { roots, feature, threshold, left, right, size } };
  }

  setState(s: DetectorState): void {
    const samples = stateNumber(s, 'samples');
    const features = stateNumber(s, 'features');
    const forest: Forest = {
      roots: stateArray(s, 'roots', Int32Array),
      feature: stateArray(s, 'feature', Int32Array),
      threshold: stateArray(s, 'threshold', Float64Array),
      left: stateArray(s, 'left', Int32Array),
      right: stateArray(s, 'right', Int32Array),
      size: stateArray(s, 'size', Int32Array),
      samples,
      features,
    };
    const m = forest.feature.length;
    if ([forest.threshold, forest.left, forest.right, forest.size].some((a) => a.length !== m)) {
      throw new FormatError('iforest: saved node arrays differ in length');
    }
    for (let i = 0; i < m; i++) {
      const f = forest.feature[i]!;
      if (f >= features) throw new FormatError(`iforest: node ${i} splits on feature ${f} of ${features}`);
      // Children always come after their parent, which also rules out cycles.
      if (f >= 0 && !(forest.left[i]! > i && forest.left[i]! < m && forest.right[i]! > i && forest.right[i]! < m)) {
        throw new FormatError(`iforest: node ${i} has out-of-range children`);
      }
    }
    for (const r of forest.roots) if (!(r >= 0 && r < m)) throw new FormatError(`iforest: root ${r} out of range`);
    this.learned = withLeafPaths(forest);
  }
}

export const iforest = defineDetector(
  {
    name: 'iforest',
    family: 'classical',
    summary: 'Isolation Forest: 2^(-mean path length / c(psi)) over random isolation trees (scikit-learn defaults)',
    citation: 'Liu, Ting & Zhou, Isolation Forest, ICDM 2008 pp. 413-422; defaults and details as scikit-learn IsolationForest',
    modes: ['unsupervised'],
  },
  schema,
  (o) => new IsolationForest(o),
);
