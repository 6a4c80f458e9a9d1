/**
 * EWMA detector: an exponentially weighted mean and variance per channel (West 1979 incremental
 * form): diff = x - m; m += α·diff; v = (1 - α)(v + α·diff²). The score of a point is
 * |x - m| / sd before it is learned. O(1) memory: no buffer at all.
 */
import { FormatError, OptionsError } from '../../../core/errors.js';
import { BaseStreamDetector, checkState, type StreamCommonOptions } from '../../stream-detector.js';

export interface EwmaOptions extends StreamCommonOptions {
  /** Smoothing weight α in (0, 1] (default 0.05). Warm-up defaults to ceil(2/α). */
  alpha?: number;
}

const SD_FLOOR = 1e-12;

export class EwmaDetector extends BaseStreamDetector {
  readonly name = 'ewma';
  readonly alpha: number;
  private mean = new Float64Array(0);
  private variance = new Float64Array(0);
  private count = 0;

  constructor(opts: EwmaOptions = {}) {
    const alpha = opts.alpha ?? 0.05;
    if (!(alpha > 0 && alpha <= 1)) throw new OptionsError(`ewma: alpha must be in (0, 1], got ${alpha}`);
    super(Math.ceil(2 / alpha), opts);
    this.alpha = alpha;
  }

  protected init(channels: number): void {
    this.mean = new Float64Array(channels);
    this.variance = new Float64Array(channels);
  }

  protected channelScore(c: number, v: number): number {
    if (this.count < 2) return 0;
    const d = Math.abs(v - this.mean[c]!);
    return d === 0 ? 0 : d / Math.max(Math.sqrt(this.variance[c]!), SD_FLOOR);
  }

  protected learnChannel(c: number, v: number): void {
    if (!Number.isFinite(v)) throw new FormatError(`ewma: value ${v} is not a finite number`);
    if (this.count === 0) {
      this.mean[c] = v;
      this.variance[c] = 0;
    } else {
      const diff = v - this.mean[c]!;
      const inc = this.alpha * diff;
      this.mean[c]! += inc;
      this.variance[c] = (1 - this.alpha) * (this.variance[c]! + diff * inc);
    }
    if (c === this.channels - 1) this.count++;
  }

  bufferedValues(): number {
    return 0;
  }

  protected params(): Record<string, unknown> {
    return { alpha: this.alpha };
  }

  protected stateJSON(): Record<string, unknown> {
    return { mean: Array.from(this.mean), variance: Array.from(this.variance), count: this.count };
  }

  static fromJSON(state: unknown): EwmaDetector {
    const s = checkState(state, 'ewma');
    const d = new EwmaDetector({ alpha: s.params['alpha'] as number, warmup: s.warmup });
    d.restoreCommon(s);
    const st = s.state as Record<string, number[] & number>;
    d.mean = Float64Array.from(st['mean'] ?? []);
    d.variance = Float64Array.from(st['variance'] ?? []);
    d.count = st['count'];
    if (d.mean.length !== d.channels) throw new FormatError('ewma: inconsistent state');
    return d;
  }
}
