/**
 * Anomaly likelihood (Ahmad, Lavin, Purdy & Agha 2017), as NuPIC computes it for NAB's numenta
 * detector: turns a stream of raw anomaly scores, whose level differs from one series to the next,
 * into how unusual the recent scores are for this series. The mean of the last `averaging` raw
 * scores is compared with a normal distribution fitted to the history of such means (the last
 * `history` of them, refitted every `reestimation` steps, mean at least 0.03 and variance at least
 * 0.0003 so a near-silent history does not make every blip extreme); the likelihood is one minus
 * its upper tail probability. A run of extreme tails counts once: after a tail below 1e-5, the next
 * ones are raised to 1e-3 until one is not extreme. Before `learning + estimation` steps the
 * likelihood is 0.5. The upper tail is used as is, also for means below the fitted mean (NuPIC
 * later reflected those; the published NAB results predate that, and a quiet stretch is no anomaly).
 *
 * `logScore` is NAB's log scaling: 1e-10 of tail probability maps to 1, so thresholds over many
 * series can be swept in a useful range.
 */
import { FormatError, OptionsError } from '../core/errors.js';
import { normalSf } from '../core/distributions.js';

export interface AnomalyLikelihoodOptions {
  /** Steps whose raw scores are left out of the fitted distribution (the detector is still learning). */
  learning: number;
  /** Further steps before the first likelihood (the first fit's sample). */
  estimation: number;
  averaging?: number;
  history?: number;
  reestimation?: number;
}

export interface AnomalyLikelihoodState {
  options: Required<AnomalyLikelihoodOptions>;
  steps: number;
  /** The stored raw scores, oldest first. */
  raw: number[];
  /** Running sum of the last `averaging` of them (kept, not re-summed, so a restored stream rounds alike). */
  recent: number;
  fit: { mean: number; sd: number; previousTail: number } | null;
}

const RED = 1e-5;
const YELLOW = 1e-3;
const MIN_MEAN = 0.03;
const MIN_VARIANCE = 0.0003;

export class AnomalyLikelihood {
  readonly learning: number;
  readonly estimation: number;
  readonly averaging: number;
  readonly history: number;
  readonly reestimation: number;
  /** Raw scores, the last `history` of them (a ring). */
  private readonly raw: Float64Array;
  private steps = 0;
  private mean = 0;
  private sd = 0;
  /** Step of the last fit (-1: none yet), so a `peek` and the `update` after it at a refit step fit once. */
  private fittedAt = -1;
  /** Sum of the last `averaging` raw scores. */
  private recent = 0;
  private previousTail = 1;

  constructor(o: AnomalyLikelihoodOptions) {
    const whole = (name: string, v: number, min: number): number => {
      if (!Number.isInteger(v) || v < min) throw new OptionsError(`anomaly likelihood: ${name} must be a whole number >= ${min}, got ${v}`);
      return v;
    };
    this.learning = whole('learning', o.learning, 0);
    this.estimation = whole('estimation', o.estimation, 1);
    this.averaging = whole('averaging', o.averaging ?? 10, 1);
    this.history = whole('history', o.history ?? 8640, this.averaging);
    this.reestimation = whole('reestimation', o.reestimation ?? 100, 1);
    this.raw = new Float64Array(this.history);
  }

  /** NAB's settings for a file whose probation is `probation` steps: half learning, half estimation. */
  static forProbation(probation: number): AnomalyLikelihood {
    const learning = Math.floor(probation / 2);
    return new AnomalyLikelihood({ learning, estimation: Math.max(1, probation - learning) });
  }

  /** The likelihood (0..1) after this raw score; call once per step, in order. */
  update(score: number): number {
    const { likelihood, tail } = this.judge(score);
    const t = this.steps;
    this.recent += score;
    if (t >= this.averaging) this.recent -= this.raw[(t - this.averaging) % this.history]!;
    this.raw[t % this.history] = score;
    if (tail !== undefined) this.previousTail = tail;
    this.steps++;
    return likelihood;
  }

  /** The likelihood `update(score)` would return, learning nothing (a refit due now is done: it reads only the past). */
  peek(score: number): number {
    return this.judge(score).likelihood;
  }

  private judge(score: number): { likelihood: number; tail?: number } {
    const t = this.steps;
    if (t < this.learning + this.estimation) return { likelihood: 0.5 };
    if (this.fittedAt < 0 || (t % this.reestimation === 0 && this.fittedAt !== t)) this.fit();
    const leaving = t >= this.averaging ? this.raw[(t - this.averaging) % this.history]! : 0;
    const recent = this.recent + score - leaving;
    const tail = normalSf((recent / Math.min(this.averaging, t + 1) - this.mean) / this.sd);
    const filtered = tail <= RED && this.previousTail <= RED ? YELLOW : tail;
    return { likelihood: 1 - filtered, tail };
  }

  /**
   * Fits the normal to the running means of the stored history (recomputed from the raw scores, as
   * NuPIC does, so the window restarts at the oldest stored score), skipping the learning steps
   * still in it; sets the tail of the last stored mean as the previous tail.
   */
  private fit(): void {
    const t = this.steps;
    const n = Math.min(t, this.history);
    const skip = Math.min(t, Math.max(0, this.learning - Math.max(0, t - this.history)));
    let sum = 0;
    let sum2 = 0;
    let count = 0;
    let window = 0;
    let last = 0;
    for (let i = 0; i < n; i++) {
      const k = t - n + i;
      window += this.raw[k % this.history]!;
      if (i >= this.averaging) window -= this.raw[(k - this.averaging) % this.history]!;
      last = window / Math.min(this.averaging, i + 1);
      if (i >= skip) {
        sum += last;
        sum2 += last * last;
        count++;
      }
    }
    if (count === 0) {
      this.mean = 0.5;
      this.sd = 1e3;
    } else {
      this.mean = Math.max(MIN_MEAN, sum / count);
      this.sd = Math.sqrt(Math.max(MIN_VARIANCE, sum2 / count - (sum / count) ** 2));
    }
    this.fittedAt = t;
    this.previousTail = count === 0 ? 1 : normalSf((last - this.mean) / this.sd);
  }

  toJSON(): AnomalyLikelihoodState {
    const n = Math.min(this.steps, this.history);
    const raw = Array.from({ length: n }, (_, i) => this.raw[(this.steps - n + i) % this.history]!);
    return {
      options: { learning: this.learning, estimation: this.estimation, averaging: this.averaging, history: this.history, reestimation: this.reestimation },
      steps: this.steps,
      raw,
      recent: this.recent,
      fit: this.fittedAt >= 0 ? { mean: this.mean, sd: this.sd, previousTail: this.previousTail } : null,
    };
  }

  static fromJSON(s: AnomalyLikelihoodState): AnomalyLikelihood {
    const al = new AnomalyLikelihood(s?.options ?? ({} as AnomalyLikelihoodOptions));
    if (!Number.isInteger(s.steps) || s.steps < 0 || !Array.isArray(s.raw) || s.raw.length !== Math.min(s.steps, al.history) || !s.raw.every(Number.isFinite) || !Number.isFinite(s.recent)) {
      throw new FormatError('anomaly likelihood: inconsistent state');
    }
    al.steps = s.steps;
    s.raw.forEach((v, i) => (al.raw[(s.steps - s.raw.length + i) % al.history] = v));
    al.recent = s.recent;
    if (s.fit) {
      // The step of that fit is not saved; any earlier step gives the same refits (a refit of the same history is the same fit).
      al.fittedAt = Math.max(0, s.steps - 1);
      al.mean = s.fit.mean;
      al.sd = s.fit.sd;
      al.previousTail = s.fit.previousTail;
    }
    return al;
  }

  /** NAB's log scale: log(1 - likelihood) / log(1e-10), so a tail of 1e-10 scores 1. */
  static logScore(likelihood: number): number {
    return Math.log(1.0000000001 - likelihood) / -23.02585084720009;
  }
}
