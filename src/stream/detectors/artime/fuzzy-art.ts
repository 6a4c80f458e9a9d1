/**
 * Dual-vigilance fuzzy ART (Carpenter, Grossberg & Rosen 1991; Brito da Silva et al. 2019) as
 * ARTime uses it. Inputs in [0, 1] are complement coded ([x, 1 - x]); a category is a weight
 * vector, the fuzzy AND (elementwise min) of the inputs it has taken. An input's match with a
 * category is |x ∧ w| / |w|, cubed, times the squared match on one chosen "energy" feature (its
 * level and complement): the shape of the window and where its last value lies both count.
 *
 * With the best match at or above the upper vigilance, every category that close learns the input
 * (w ← x ∧ w). Between the two vigilances the input becomes a new category of a known cluster.
 * Below the lower one it founds a new cluster: the input is novel, which is what the detector
 * reports. Memory is bounded by `maxCategories`: when full, the category unused longest goes.
 */
export interface ArtResult {
  /** The input founded a new cluster (or learning was off): nothing known is like it. */
  novel: boolean;
  /** Best match over categories, in [0, 1]. */
  similarity: number;
  /** The energy feature's match in the best matching category. */
  energy: number;
}

export interface FuzzyArtState {
  lower: number;
  upper: number;
  weights: number[][];
  used: number[];
  clock: number;
}

export class FuzzyArt {
  lower = 0;
  upper = 0;
  private weights: Float64Array[] = [];
  /** When each category last matched best (for forgetting). */
  private used: number[] = [];
  private clock = 0;

  constructor(
    /** Features per input (before complement coding). */
    readonly dim: number,
    /** Index of the energy feature. */
    readonly energyIndex: number,
    readonly maxCategories: number,
  ) {}

  get categories(): number {
    return this.weights.length;
  }

  /** Matches x against the categories and, if `learn`, learns it. */
  present(x: ArrayLike<number>, learn: boolean): ArtResult {
    const d = this.dim;
    const code = new Float64Array(2 * d);
    for (let k = 0; k < d; k++) {
      code[k] = x[k]!;
      code[d + k] = 1 - x[k]!;
    }
    if (this.weights.length === 0) {
      this.clock++;
      // The memory opens with one all-ones category, which matches nothing well; the first input only opens it.
      this.add(new Float64Array(2 * d).fill(1));
      return { novel: false, similarity: 0, energy: 0 };
    }
    const e1 = this.energyIndex;
    const e2 = d + this.energyIndex;
    const match = new Float64Array(this.weights.length);
    let best = -1;
    let similarity = 0;
    let energy = 0;
    this.weights.forEach((w, j) => {
      let inter = 0;
      let size = 0;
      for (let k = 0; k < 2 * d; k++) {
        inter += Math.min(code[k]!, w[k]!);
        size += Math.abs(w[k]!);
      }
      const shape = inter / (size === 0 ? 0.001 : size);
      const we = w[e1]! + w[e2]!;
      const e = we === 0 ? 1 : (Math.min(code[e1]!, w[e1]!) + Math.min(code[e2]!, w[e2]!)) / we;
      match[j] = shape ** 3 * e ** 2;
      if (match[j]! > similarity) {
        similarity = match[j]!;
        energy = e;
        best = j;
      }
    });
    if (!learn) return { novel: true, similarity, energy };
    this.clock++;
    if (best >= 0) this.used[best] = this.clock;
    if (similarity >= this.upper) {
      // New arrays rather than writes in place: clones share the category arrays (see clone).
      this.weights.forEach((w, j) => {
        if (match[j]! >= this.upper) this.weights[j] = w.map((v, k) => Math.min(v, code[k]!));
      });
      return { novel: false, similarity, energy };
    }
    this.add(code);
    return { novel: similarity < this.lower, similarity, energy };
  }

  private add(w: Float64Array): void {
    if (this.weights.length >= this.maxCategories) {
      let oldest = 0;
      for (let j = 1; j < this.used.length; j++) if (this.used[j]! < this.used[oldest]!) oldest = j;
      this.weights.splice(oldest, 1);
      this.used.splice(oldest, 1);
    }
    this.weights.push(w);
    this.used.push(this.clock);
  }

  clone(): FuzzyArt {
    const art = new FuzzyArt(this.dim, this.energyIndex, this.maxCategories);
    art.lower = this.lower;
    art.upper = this.upper;
    // Category arrays are never written in place, so a copy of the list is enough.
    art.weights = [...this.weights];
    art.used = [...this.used];
    art.clock = this.clock;
    return art;
  }

  toJSON(): FuzzyArtState {
    return { lower: this.lower, upper: this.upper, weights: this.weights.map((w) => Array.from(w)), used: [...this.used], clock: this.clock };
  }

  static fromJSON(dim: number, energyIndex: number, maxCategories: number, s: FuzzyArtState): FuzzyArt {
    const art = new FuzzyArt(dim, energyIndex, maxCategories);
    if (!Array.isArray(s?.weights) || !Array.isArray(s.used) || s.used.length !== s.weights.length || s.weights.some((w) => !Array.isArray(w) || w.length !== 2 * dim)) {
      throw new RangeError('fuzzy ART: bad state');
    }
    art.lower = s.lower;
    art.upper = s.upper;
    art.weights = s.weights.map((w) => Float64Array.from(w));
    art.used = [...s.used];
    art.clock = s.clock;
    return art;
  }
}
