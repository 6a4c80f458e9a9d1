/**
 * ARTime (Hampton 2021; the best published NAB score, 74.9 over the full corpus) on one channel.
 * Written here from the published algorithm; its constants are the author's NAB settings.
 *
 * 1. Downsampling: the probation is cut into about 13 windows of 8 downsampled steps, so a step
 *    covers `step` raw values; the step keeps its extreme value on the side away from a running
 *    average, or its mean when the extreme is within 10% of the mean.
 * 2. The value is scaled by the expected range to [0, 1], quantised to 80 levels, and snapped to
 *    the running median level when within 0.075 of it, so small wobbles about the usual level are
 *    not news.
 * 3. Features of the last 8 levels: their Haar wavelet coefficients (of the window scaled to
 *    [0, 1], then scaled to [0, 1] themselves: the shape) and the levels themselves (the place).
 * 4. A dual-vigilance fuzzy ART memory (fuzzy-art.ts) learns the feature windows. The first
 *    `trend` steps (the probation) are learned in one go at its end, with vigilance set from how
 *    alike the probation's windows are; afterwards each window is learned as it comes.
 * 5. A window that founds a new cluster is an anomaly, scored by how far below the vigilances it
 *    matched. After an anomaly or a new cluster, further ones are masked for 12 steps unless they
 *    are much less alike than the last. Every half trend, and 12 steps after an anomaly, the
 *    vigilances follow the recent similarities: the upper to their mean, the lower towards the
 *    lowest recent one (or down, never below the mean similarity of past anomalies).
 *
 * Scores are 0 between downsampled steps.
 */
import { haar } from './haar.js';
import { FuzzyArt, type FuzzyArtState } from './fuzzy-art.js';
import { LevelMedian, type LevelMedianState } from './level-median.js';

const WINDOW = 8;
const WINDOWS_PER_PROBATION = 13;
const LEVELS = 80;
const SNAP = 0.075;
const MASK = Math.floor(WINDOW * 1.5);
const INITIAL_VIGILANCE = 0.8;
const MAX_UPPER = 0.97;
const FEATURES = 2 * WINDOW;

export interface ArtimeParams {
  /** Expected value range: values are scaled by it (beyond it, levels are clamped). */
  min: number;
  max: number;
  /** Values of the training stretch (NAB's probation: 15% of a file, at most 750). */
  probation: number;
  /** Most fuzzy ART categories kept (bounds memory). */
  maxCategories: number;
}

/** ArtimeCore's running counts and marks (see the module comment, 1 and 5). */
interface Tally {
  /** Values seen. */
  i: number;
  /** Downsampled steps so far. */
  n: number;
  /** Running average of the downsampled steps' means. */
  average: number;
  lastAnomaly: number;
  lastAnomalySimilarity: number;
  lastUpdate: number;
  maskAfterNew: boolean;
  sinceNew: number;
  /** Sum of every best-match similarity (their mean sets the upper vigilance). */
  similaritySum: number;
  /** Mean best-match similarity of past anomalies, the last one lowered while its mask lasts. */
  anomalySum: number;
  anomalyCount: number;
  anomalyLast: number;
}

export interface ArtimeCoreState {
  tally: Tally;
  raw: number[];
  median: LevelMedianState;
  levels: number[];
  held: number[][];
  art: FuzzyArtState;
  recentSimilarity: number[];
  recentShortfall: number[];
}

export class ArtimeCore {
  /** Raw values per downsampled step. */
  readonly step: number;
  /** Downsampled steps of the probation. */
  readonly trend: number;
  /** The running counts and marks: plain numbers, copied whole by clone and toJSON. */
  private t: Tally = {
    i: 0,
    n: 0,
    average: 0,
    lastAnomaly: 0,
    lastAnomalySimilarity: 0,
    lastUpdate: 0,
    maskAfterNew: false,
    sinceNew: 0,
    similaritySum: 0,
    anomalySum: 0,
    anomalyCount: 0,
    anomalyLast: 0,
  };
  private raw: number[] = [];
  private median = new LevelMedian(LEVELS);
  private levels: number[] = new Array(WINDOW).fill(0);
  /** The probation's feature windows, held until its end. */
  private held: Float64Array[] = [];
  private art: FuzzyArt;
  private recentSimilarity: number[];
  private recentShortfall: number[];

  constructor(readonly p: ArtimeParams) {
    const probation = p.probation - (p.probation % 2);
    this.step = Math.max(1, Math.floor(probation / (WINDOW * WINDOWS_PER_PROBATION)));
    this.trend = Math.floor(probation / this.step);
    this.art = new FuzzyArt(FEATURES, FEATURES - 1, p.maxCategories);
    this.recentSimilarity = new Array((this.trend >> 1) + 1).fill(1);
    this.recentShortfall = new Array(this.trend + 1).fill(0);
  }

  /** Takes the next value; returns its anomaly score in [0, 1] (0 between downsampled steps). */
  process(v: number): number {
    this.raw.push(v);
    if (this.raw.length > this.step) this.raw.shift();
    this.t.i++;
    if (this.t.i % this.step !== 0) return 0;
    this.t.n++;
    const level = this.downsample();
    this.levels.shift();
    this.levels.push(level);
    const f = this.t.n >= WINDOW ? features(this.levels) : new Float64Array(FEATURES);
    if (this.t.n > this.trend) return this.detect(f, this.t.n);
    this.held.push(f);
    if (this.t.n === this.trend) {
      const v0 = this.initialVigilance(this.held.slice(WINDOW - 1));
      this.art.lower = v0;
      this.art.upper = v0;
      this.held.forEach((h, k) => this.detect(h, k + 1));
      this.held = [];
    }
    return 0;
  }

  /** The step's value as a level in [0, 1] (see the module comment, 1 and 2). */
  private downsample(): number {
    let sum = 0;
    let hi = -Infinity;
    let lo = Infinity;
    for (const x of this.raw) {
      sum += x;
      hi = Math.max(hi, x);
      lo = Math.min(lo, x);
    }
    const mean = sum / this.raw.length;
    this.t.average = this.t.n === 1 ? mean : (this.t.average + mean) / 2;
    let ds = Math.abs(hi - this.t.average) < Math.abs(lo - this.t.average) ? lo : hi;
    if (Math.abs(ds - mean) < 0.1 * mean) ds = mean;
    const range = this.p.max - this.p.min;
    ds -= this.p.min;
    if (range !== 0) ds /= range;
    const level = Math.max(0, Math.min(LEVELS, roundHalfEven(ds * LEVELS)));
    const q = level / LEVELS;
    const med = this.median.add(level) / LEVELS;
    return Math.abs(q - med) < SNAP ? med : q;
  }

  /** One feature window through the memory, the masking and the vigilance updates (module comment, 4 and 5). */
  private detect(f: Float64Array, i: number): number {
    const sinceAnomaly = i - this.t.lastAnomaly;
    const updateAfterAnomaly = sinceAnomaly === MASK;
    const updateForTrend = i - this.t.lastUpdate >= this.trend >> 1;
    const masked = sinceAnomaly <= MASK;
    if (i > this.trend + MASK && this.t.maskAfterNew && this.t.sinceNew >= MASK) this.t.maskAfterNew = false;
    const r = this.art.present(f, i >= WINDOW);
    const novel = i < WINDOW || r.novel;
    this.t.sinceNew = novel ? 0 : this.t.sinceNew + 1;
    const sim = r.similarity;
    this.t.similaritySum += sim;
    this.recentSimilarity.shift();
    this.recentSimilarity.push(sim);
    this.recentShortfall.shift();
    this.recentShortfall.push(this.art.upper - sim);
    if (sinceAnomaly < MASK && this.t.anomalyCount > 0 && sim < this.t.anomalyLast) {
      this.t.anomalySum += sim - this.t.anomalyLast;
      this.t.anomalyLast = sim;
    }
    const belowLast = sim < this.t.lastAnomalySimilarity * (masked ? 0.9 : 0.7);
    let score = 0;
    if (i > this.trend && novel && (!(this.t.maskAfterNew || masked) || belowLast)) {
      score = this.confidence(sim, r.energy);
      this.t.anomalySum += sim;
      this.t.anomalyCount++;
      this.t.anomalyLast = sim;
      this.t.lastAnomalySimilarity = sim;
      this.t.lastAnomaly = i;
    }
    this.t.maskAfterNew ||= novel;
    if (i > this.trend && (updateAfterAnomaly || updateForTrend)) {
      this.updateVigilance(i);
      this.t.lastUpdate = i;
      this.t.maskAfterNew = true;
    }
    return score;
  }

  private updateVigilance(i: number): void {
    const lowest = Math.min(...this.recentSimilarity);
    const upper = Math.min(MAX_UPPER, this.t.similaritySum / i);
    const prev = this.art.lower;
    let lower: number;
    if (prev <= lowest) {
      lower = prev + (lowest - prev) * 0.19;
    } else {
      let step = 0;
      if (i > this.trend * 2) {
        const short = this.recentShortfall.filter((d) => d > 0.05).map((d) => Math.min(0.37, d));
        if (short.length) step = short.reduce((a, b) => a + b, 0) / short.length;
      }
      lower = prev - Math.max(0.01, step) / 2;
      if (this.t.anomalyCount > 0) lower = Math.max(this.t.anomalySum / this.t.anomalyCount, lower);
    }
    this.art.lower = Math.min(upper, lower);
    this.art.upper = upper;
  }

  /** How far below both vigilances the window matched, plus how far its last level was from any known. */
  private confidence(similarity: number, energy: number): number {
    const s = Math.min(0.999, similarity);
    const gap = (v: number): number => (1 - s - (1 - v)) / (1 - s);
    return Math.min(1, gap(this.art.upper) * 0.35 + gap(this.art.lower) * 0.65 + (1 - energy) * 1.5);
  }

  /**
   * Vigilance at which the probation's windows, presented least typical first, resonate: the mean
   * best-match similarity over the second half of a fresh memory trained on them at 0.8.
   */
  private initialVigilance(windows: Float64Array[]): number {
    const n = windows.length;
    const typical = new Float64Array(n).fill(1);
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) {
      const s = cosine(windows[a]!, windows[b]!);
      typical[a]! += s;
      typical[b]! += s;
    }
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => typical[a]! - typical[b]! || a - b);
    const art = new FuzzyArt(FEATURES, FEATURES - 1, this.p.maxCategories);
    art.lower = INITIAL_VIGILANCE;
    art.upper = INITIAL_VIGILANCE;
    const sims = order.map((k) => art.present(windows[k]!, true).similarity);
    const from = Math.max(0, (this.trend >> 1) - 1);
    const tail = sims.slice(from);
    return tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : INITIAL_VIGILANCE;
  }

  /** An independent copy: what `process` would do, tried without touching this one. */
  clone(): ArtimeCore {
    const c = Object.assign(Object.create(ArtimeCore.prototype) as ArtimeCore, this);
    c.t = { ...this.t };
    c.raw = [...this.raw];
    c.median = this.median.clone();
    c.levels = [...this.levels];
    c.held = this.held.map((h) => h.slice());
    c.art = this.art.clone();
    c.recentSimilarity = [...this.recentSimilarity];
    c.recentShortfall = [...this.recentShortfall];
    return c;
  }

  toJSON(): ArtimeCoreState {
    return {
      tally: { ...this.t },
      raw: [...this.raw],
      median: this.median.toJSON(),
      levels: [...this.levels],
      held: this.held.map((h) => Array.from(h)),
      art: this.art.toJSON(),
      recentSimilarity: [...this.recentSimilarity],
      recentShortfall: [...this.recentShortfall],
    };
  }

  static fromJSON(p: ArtimeParams, s: ArtimeCoreState): ArtimeCore {
    const c = new ArtimeCore(p);
    const numbers = (a: unknown, n?: number): boolean => Array.isArray(a) && (n === undefined || a.length === n) && a.every((x) => typeof x === 'number');
    if (
      typeof s?.tally !== 'object' ||
      Object.keys(c.t).some((k) => typeof s.tally[k as keyof Tally] !== typeof c.t[k as keyof Tally]) ||
      !numbers(s.raw) ||
      !numbers(s.levels, WINDOW) ||
      !Array.isArray(s.held) ||
      !s.held.every((h) => numbers(h, FEATURES)) ||
      !numbers(s.recentSimilarity, c.recentSimilarity.length) ||
      !numbers(s.recentShortfall, c.recentShortfall.length)
    ) {
      throw new RangeError('artime: bad state');
    }
    c.t = { ...s.tally };
    c.raw = [...s.raw];
    c.median = LevelMedian.fromJSON(LEVELS, s.median);
    c.levels = [...s.levels];
    c.held = s.held.map((h) => Float64Array.from(h));
    c.art = FuzzyArt.fromJSON(FEATURES, FEATURES - 1, p.maxCategories, s.art);
    c.recentSimilarity = [...s.recentSimilarity];
    c.recentShortfall = [...s.recentShortfall];
    return c;
  }
}

/** The feature window (module comment, 3): Haar coefficients of the scaled window, then the levels. */
export function features(levels: readonly number[]): Float64Array {
  const lo = Math.min(...levels);
  const span = Math.max(...levels) - lo;
  const w = haar(levels.map((v) => (span === 0 ? v - lo : (v - lo) / span)));
  const wlo = Math.min(...w);
  const wspan = Math.max(...w) - wlo;
  const out = new Float64Array(FEATURES);
  w.forEach((c, k) => (out[k] = wspan === 0 ? c - wlo : (c - wlo) / wspan));
  out.set(levels, WINDOW);
  return out;
}

/** Cosine similarity; against a zero vector, 1 minus the other's length. */
function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    aa += a[k]! * a[k]!;
    bb += b[k]! * b[k]!;
  }
  const na = Math.sqrt(aa);
  const nb = Math.sqrt(bb);
  if (na === 0) return 1 - nb;
  if (nb === 0) return 1 - na;
  return ab / (na * nb);
}

/** Rounds halves to even, as ARTime's quantiser does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
