/**
 * Page-Hinkley test for an upward or downward change of the mean (Page 1954; the form of
 * Gama et al. and River): with x̄_t the running mean,
 *   m_t = α·m_{t-1} + (x_t - x̄_t - δ)   (upward)   and   M_t = min m_t;
 * a drift is signalled when m_t - M_t > λ. The downward side is the mirror image. After a
 * signal the test restarts. α = 1 is the classic test; α < 1 forgets old deviations.
 * O(1) memory; state is plain JSON.
 */
import { FormatError, OptionsError } from '../../core/errors.js';
import type { DriftDetector } from './drift-detector.js';

export interface PageHinkleyOptions {
  /** Tolerated change magnitude δ (default 0.005). */
  delta?: number;
  /** Detection threshold λ (default 50). */
  lambda?: number;
  /** Forgetting factor α in (0, 1] (default 1, the classic test; α < 1 lets m_t decay toward -δ/(1-α) while M_t keeps its old minimum, which raises false alarms). */
  alpha?: number;
  /** Points before any signal (default 30). */
  minInstances?: number;
}

export interface PageHinkleyState {
  format: 'vigil-page-hinkley';
  delta: number;
  lambda: number;
  alpha: number;
  minInstances: number;
  n: number;
  mean: number;
  up: number;
  upMin: number;
  down: number;
  downMax: number;
}

export class PageHinkley implements DriftDetector {
  readonly name = 'page-hinkley';
  readonly delta: number;
  readonly lambda: number;
  readonly alpha: number;
  readonly minInstances: number;
  private n = 0;
  private mean = 0;
  private up = 0;
  private upMin = 0;
  private down = 0;
  private downMax = 0;

  constructor({ delta = 0.005, lambda = 50, alpha = 1, minInstances = 30 }: PageHinkleyOptions = {}) {
    if (!(delta >= 0)) throw new OptionsError(`page-hinkley: delta must be >= 0, got ${delta}`);
    if (!(lambda > 0)) throw new OptionsError(`page-hinkley: lambda must be > 0, got ${lambda}`);
    if (!(alpha > 0 && alpha <= 1)) throw new OptionsError(`page-hinkley: alpha must be in (0, 1], got ${alpha}`);
    if (!Number.isInteger(minInstances) || minInstances < 1) throw new OptionsError(`page-hinkley: minInstances must be a whole number >= 1`);
    this.delta = delta;
    this.lambda = lambda;
    this.alpha = alpha;
    this.minInstances = minInstances;
  }

  /** Feeds one value; true when a drift is detected (the test then restarts). */
  update(x: number): boolean {
    if (!Number.isFinite(x)) return false;
    this.n++;
    this.mean += (x - this.mean) / this.n;
    this.up = this.alpha * this.up + (x - this.mean - this.delta);
    this.down = this.alpha * this.down + (x - this.mean + this.delta);
    if (this.up < this.upMin) this.upMin = this.up;
    if (this.down > this.downMax) this.downMax = this.down;
    if (this.n < this.minInstances) return false;
    if (this.up - this.upMin > this.lambda || this.downMax - this.down > this.lambda) {
      this.reset();
      return true;
    }
    return false;
  }

  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.up = this.upMin = this.down = this.downMax = 0;
  }

  bufferedValues(): number {
    return 0;
  }

  toJSON(): PageHinkleyState {
    const { delta, lambda, alpha, minInstances, n, mean, up, upMin, down, downMax } = this;
    return { format: 'vigil-page-hinkley', delta, lambda, alpha, minInstances, n, mean, up, upMin, down, downMax };
  }

  static fromJSON(state: unknown): PageHinkley {
    const s = state as PageHinkleyState;
    if (!s || s.format !== 'vigil-page-hinkley') throw new FormatError('not a Page-Hinkley state');
    const d = new PageHinkley(s);
    d.n = s.n;
    d.mean = s.mean;
    d.up = s.up;
    d.upMin = s.upMin;
    d.down = s.down;
    d.downMax = s.downMax;
    return d;
  }
}
