import { z } from 'zod';
import { DataError, FormatError } from '../../core/errors.js';
import { matrix, type Matrix, rowSums } from '../../core/matrix.js';
import type { Detector, DetectorState } from '../detector.js';
import { defineDetector } from '../define.js';
import { fittedOr, stateArray, stateNumber, checkFeatures } from '../state.js';
import { lowerBound } from '../../core/search.js';

const schema = z.object({
  /** Equal-width bins per feature. */
  nBins: z.number().int().min(1).default(10).describe('Equal-width bins per feature.'),
  /** Added to every bin's density before the log, so an empty bin costs a finite amount. */
  alpha: z.number().gt(0).default(0.1).describe('Added to every bin\'s density before the log, so an empty bin costs a finite amount.'),
  /** A value outside the training range by at most tol bin widths counts as in the edge bin. */
  tol: z.number().min(0).default(0.5).describe('A value outside the training range by at most tol bin widths counts as in the edge bin.'),
});

interface Learned {
  /** (nBins + 1) x d, feature-major: feature j's edges at j * (nBins + 1). */
  edges: Float64Array;
  /** nBins x d, feature-major: the histogram density (integrates to 1 over the edges). */
  density: Float64Array;
  features: number;
}

/**
 * numpy.histogram(values, bins, density=True) for one feature: equal-width bins over
 * [min, max] (max +- 0.5 when constant), edges as numpy.linspace computes them, bins
 * half-open [e_i, e_i+1) except the last, which is closed.
 */
function histogram(values: Float64Array, nBins: number, edges: Float64Array, density: Float64Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    n++;
  }
  if (n === 0) throw new DataError('hbos: a feature has no values');
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / nBins;
  for (let b = 0; b < nBins; b++) edges[b] = b * step + lo;
  edges[nBins] = hi;
  const counts = new Float64Array(nBins);
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    let b = Math.floor(((v - lo) / (hi - lo)) * nBins);
    if (b >= nBins) b = nBins - 1;
    if (v < edges[b]!) b--;
    else if (b !== nBins - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  for (let b = 0; b < nBins; b++) density[b] = counts[b]! / (edges[b + 1]! - edges[b]!) / n;
}

/** Histogram-based Outlier Score: features scored independently by their histogram density. */
class Hbos implements Detector {
  readonly name = 'hbos';
  private learned?: Learned;
  constructor(readonly options: z.output<typeof schema>) {}

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  async fit(X: Matrix): Promise<void> {
    if (X.rows < 1) throw new DataError('hbos needs at least one row');
    const { nBins } = this.options;
    const d = X.cols;
    const edges = new Float64Array((nBins + 1) * d);
    const density = new Float64Array(nBins * d);
    const col = new Float64Array(X.rows);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < X.rows; i++) col[i] = X.data[i * d + j]!;
      histogram(col, nBins, edges.subarray(j * (nBins + 1), (j + 1) * (nBins + 1)), density.subarray(j * nBins, (j + 1) * nBins));
    }
    this.learned = { edges, density, features: d };
  }

  async score(X: Matrix): Promise<Float64Array> {
    return rowSums(await this.explain(X));
  }

  /**
   * -log2(density + alpha) of the bin each value falls in, PyOD's terms (base 2 as PyOD, so
   * scores match it; the base only rescales). Bins are looked up as numpy.digitize(right=True),
   * i.e. (e_i-1, e_i], again as PyOD does, although the histogram counted [e_i, e_i+1): a value
   * exactly on an inner edge is scored by the bin to its left. Beyond the edges by more than
   * tol bin widths a value gets the emptiest bin's term.
   */
  async explain(X: Matrix): Promise<Matrix> {
    const { edges, density, features: d } = fittedOr(this.learned, this.name);
    checkFeatures('hbos', d, X);
    const { nBins, alpha, tol } = this.options;
    const terms = new Float64Array(nBins * d);
    const worst = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let w = -Infinity;
      for (let b = 0; b < nBins; b++) {
        const t = -Math.log2(density[j * nBins + b]! + alpha);
        terms[j * nBins + b] = t;
        w = Math.max(w, t);
      }
      worst[j] = w;
    }
    const out = matrix(X.rows, d);
    for (let j = 0; j < d; j++) {
      const e = edges.subarray(j * (nBins + 1), (j + 1) * (nBins + 1));
      const first = e[0]!;
      const last = e[nBins]!;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * d + j]!;
        let bin: number;
        if (v <= first) bin = first - v <= (e[1]! - first) * tol ? 0 : -1;
        else if (v > last) bin = v - last <= (last - e[nBins - 1]!) * tol ? nBins - 1 : -1;
        else bin = lowerBound(e, v) - 1;
        out.data[i * d + j] = bin < 0 ? worst[j]! : terms[j * nBins + bin]!;
      }
    }
    return out;
  }

  getState(): DetectorState {
    const { edges, density, features } = fittedOr(this.learned, this.name);
    return { params: { features, bins: this.options.nBins }, arrays: { edges, density } };
  }

  setState(s: DetectorState): void {
    const features = stateNumber(s, 'features');
    const bins = stateNumber(s, 'bins');
    const edges = stateArray(s, 'edges', Float64Array);
    const density = stateArray(s, 'density', Float64Array);
    if (bins !== this.options.nBins || edges.length !== (bins + 1) * features || density.length !== bins * features) {
      throw new FormatError('hbos: saved histograms do not match nBins x features');
    }
    this.learned = { edges, density, features };
  }
}

export const hbos = defineDetector(
  {
    name: 'hbos',
    family: 'stats',
    summary: 'Histogram-based Outlier Score: sum over features of -log2 of the static-bin histogram density (PyOD defaults)',
    citation:
      'Goldstein & Dengel, Histogram-based Outlier Score (HBOS), KI-2012 Poster and Demo Track pp. 59-63 (2012); defaults as PyOD HBOS',
    modes: ['unsupervised'],
    explains: true,
  },
  schema,
  (o) => new Hbos(o),
);
