/**
 * ARTime as a stream detector: one ArtimeCore (artime-core.ts) per channel. ARTime scales values
 * by their expected range; unless `min` and `max` are given, each channel buffers its first
 * `probation` values, takes the range from them, then learns them in order (later values beyond
 * that range are clamped to its ends). The score is ARTime's: 0, or the confidence in [0, 1] of a
 * detection; by default a score above ARTime's own NAB threshold (0.3175) is an anomaly. An EVT
 * threshold is refused: so sparse a score has no tail to fit.
 */
import { FormatError, OptionsError } from '../../../core/errors.js';
import { extent } from '../../../core/stats.js';
import { BaseStreamDetector, FixedThreshold, SpotThreshold, checkState, positiveInt, type StreamCommonOptions } from '../../stream-detector.js';
import { ArtimeCore, type ArtimeCoreState, type ArtimeParams } from './artime-core.js';

export interface ArtimeOptions extends StreamCommonOptions {
  /** Expected value range, for every channel (give both, or neither to take it from the first `probation` values). */
  min?: number;
  max?: number;
  /** Expected range per channel, in place of `min` and `max` (what the series detector fitted). */
  channelRanges?: readonly { min: number; max: number }[];
  /** Training values per channel: the vigilance is set from them, and no score comes before their end (default 750, NAB's largest probation). */
  probation?: number;
  /** Most memory categories per channel (default 10,000): bounds memory; the one unused longest is forgotten. */
  maxCategories?: number;
}

/** The threshold ARTime's published NAB results were swept to (standard profile, full corpus). */
export const ARTIME_NAB_THRESHOLD = 0.317486;

/** The range the `min` and `max` options give (both or neither; see checkRange). */
export function rangeOption(min: number | undefined, max: number | undefined): { min: number; max: number } | undefined {
  if ((min === undefined) !== (max === undefined)) throw new OptionsError('artime: give both min and max, or neither');
  if (min === undefined) return undefined;
  checkRange(min, max!);
  return { min, max: max! };
}

function checkRange(min: number, max: number): void {
  if (!(Number.isFinite(min) && Number.isFinite(max) && max >= min)) throw new OptionsError(`artime: min and max must be finite with min <= max, got ${min} and ${max}`);
}

interface Channel {
  core: ArtimeCore | null;
  buffer: number[];
}

export class Artime extends BaseStreamDetector {
  readonly name = 'artime';
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly probation: number;
  readonly maxCategories: number;
  readonly channelRanges: { min: number; max: number }[] | undefined;
  private state: Channel[] = [];
  /** What `channelScore` computed for (channel, point, value): the core after the point, taken by the `learnChannel` after it. */
  private pending: ({ t: number; v: number; next: ArtimeCore } | undefined)[] = [];

  constructor(opts: ArtimeOptions = {}) {
    const probation = positiveInt('artime: probation', opts.probation ?? 750, 2);
    if (opts.threshold instanceof SpotThreshold) {
      throw new OptionsError(`artime: its scores are 0 or a detection's confidence, too sparse for an EVT threshold to fit; give a fixed threshold (default ${ARTIME_NAB_THRESHOLD}, ARTime's NAB threshold)`);
    }
    super(probation, { ...opts, threshold: opts.threshold ?? new FixedThreshold(ARTIME_NAB_THRESHOLD) });
    if (rangeOption(opts.min, opts.max) && opts.channelRanges) throw new OptionsError('artime: give min and max, or channelRanges, not both');
    for (const r of opts.channelRanges ?? []) checkRange(r.min, r.max);
    this.min = opts.min;
    this.max = opts.max;
    this.channelRanges = opts.channelRanges?.map((r) => ({ min: r.min, max: r.max }));
    this.probation = probation;
    this.maxCategories = positiveInt('artime: maxCategories', opts.maxCategories ?? 10_000, 2);
  }

  private coreParams(min: number, max: number): ArtimeParams {
    return { min, max, probation: this.probation, maxCategories: this.maxCategories };
  }

  /** The range channel c is scaled by, when known in advance. */
  private rangeOf(c: number): { min: number; max: number } | undefined {
    if (this.min !== undefined) return { min: this.min, max: this.max! };
    if (!this.channelRanges) return undefined;
    const r = this.channelRanges[c];
    if (!r) throw new OptionsError(`artime: channelRanges has ${this.channelRanges.length} ranges, the points have more channels`);
    return r;
  }

  protected init(channels: number): void {
    this.state = Array.from({ length: channels }, (_, c) => {
      const r = this.rangeOf(c);
      return { core: r ? new ArtimeCore(this.coreParams(r.min, r.max)) : null, buffer: [] };
    });
    this.pending = [];
  }

  protected channelScore(c: number, v: number): number {
    if (!Number.isFinite(v)) throw new FormatError(`artime: value ${v} is not a finite number`);
    const core = this.state[c]!.core;
    if (!core) return 0;
    const next = core.clone();
    const score = next.process(v);
    this.pending[c] = { t: this.seen, v, next };
    return score;
  }

  protected learnChannel(c: number, v: number): void {
    if (!Number.isFinite(v)) throw new FormatError(`artime: value ${v} is not a finite number`);
    const ch = this.state[c]!;
    const p = this.pending[c];
    this.pending[c] = undefined;
    if (ch.core) {
      if (p && p.t === this.seen && p.v === v) ch.core = p.next;
      else ch.core.process(v);
      return;
    }
    ch.buffer.push(v);
    if (ch.buffer.length < this.probation) return;
    const [min, max] = extent(ch.buffer);
    ch.core = new ArtimeCore(this.coreParams(min, max));
    for (const x of ch.buffer) ch.core.process(x);
    ch.buffer = [];
  }

  bufferedValues(): number {
    return Math.max(0, ...this.state.map((ch) => ch.buffer.length));
  }

  protected params(): Record<string, unknown> {
    return { min: this.min ?? null, max: this.max ?? null, channelRanges: this.channelRanges ?? null, probation: this.probation, maxCategories: this.maxCategories };
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      channelStates: this.state.map((ch) => ({ buffer: [...ch.buffer], core: ch.core ? { min: ch.core.p.min, max: ch.core.p.max, state: ch.core.toJSON() } : null })),
    };
  }

  static fromJSON(state: unknown): Artime {
    const s = checkState(state, 'artime');
    const p = s.params;
    const a = new Artime({
      min: (p['min'] as number | null) ?? undefined,
      max: (p['max'] as number | null) ?? undefined,
      channelRanges: (p['channelRanges'] as { min: number; max: number }[] | null) ?? undefined,
      probation: p['probation'] as number,
      maxCategories: p['maxCategories'] as number,
      warmup: s.warmup,
    });
    a.restoreCommon(s);
    const chs = s.state['channelStates'] as { buffer: unknown; core: { min: number; max: number; state: ArtimeCoreState } | null }[];
    if (!Array.isArray(chs) || chs.length !== a.channels) throw new FormatError('artime: inconsistent state');
    try {
      a.state = chs.map((ch) => {
        if (!Array.isArray(ch?.buffer) || ch.buffer.some((x) => typeof x !== 'number')) throw new FormatError('artime: inconsistent state');
        const core = ch.core ? ArtimeCore.fromJSON(a.coreParams(ch.core.min, ch.core.max), ch.core.state) : null;
        return { core, buffer: [...(ch.buffer as number[])] };
      });
    } catch (e) {
      if (e instanceof RangeError) throw new FormatError(e.message);
      throw e;
    }
    return a;
  }
}
