/**
 * HTM: Numenta's hierarchical temporal memory detector for one value per channel, as NAB's
 * numenta detector builds it: a random distributed scalar encoder (encoder.ts), a spatial pooler
 * (spatial-pooler.ts) and a temporal memory (temporal-memory.ts), all learning online. The raw
 * anomaly score of a point is the share of its active columns that the temporal memory did not
 * predict from the points before it; the score is Numenta's anomaly likelihood of it (see
 * `likelihood`). Extreme values and broken sequences score alike, so it sees what a distance or
 * a z-score misses: a familiar value at an unfamiliar moment.
 *
 * Parameters are Numenta's NAB settings (2048 columns, 40 active, 32 cells per column, segment
 * thresholds 13 and 10, 20 new synapses, permanences 0.21 / 0.5 / ±0.1; encoder 400 bits with 21 on,
 * resolution = 1.4 x the value range / 130). The range is not known in advance on a stream: unless
 * `resolution` is given, each channel buffers its first `calibration` values, takes its resolution
 * from their range, then learns from them in order. Numenta's time-of-day encoding is left out:
 * a stream point carries no timestamp here.
 */
import { FormatError, OptionsError } from '../../../core/errors.js';
import { extent } from '../../../core/stats.js';
import { BaseStreamDetector, checkState, positiveInt, type StreamCommonOptions } from '../../stream-detector.js';
import { AnomalyLikelihood, type AnomalyLikelihoodState } from '../../../threshold/anomaly-likelihood.js';
import { ScalarEncoder } from './encoder.js';
import { SpatialPooler } from './spatial-pooler.js';
import { TemporalMemory, type TemporalMemoryParams, type TemporalMemoryState } from './temporal-memory.js';

export interface HtmOptions extends StreamCommonOptions {
  /** Encoder bucket width in the values' units, for every channel (default: from the calibration values). */
  resolution?: number;
  /** Values per channel whose range sets the resolution when none is given (default 750, NAB's largest probation). */
  calibration?: number;
  /** Spatial pooler columns (default 2048, at least 256); 2% of them are active per point. */
  columns?: number;
  /** Temporal memory cells per column (default 32). */
  cellsPerColumn?: number;
  /** Most distal segments in all, per channel and member (default 65,536): bounds memory. */
  maxSegments?: number;
  /**
   * Independent HTMs per channel (seeds seed, seed + 4, seed + 8, ...) whose raw scores are averaged (default 1,
   * Numenta's): one HTM's score depends much on its random wiring, the mean of a few much less.
   */
  ensemble?: number;
  /**
   * Score with Numenta's anomaly likelihood of the raw score, on NAB's log scale (default true), as
   * NAB's numenta detector outputs: the raw score is a share of 40 columns, coarse and often 1 on
   * noisy data, so no EVT threshold can fit its tail. Its learning and estimation periods are each
   * half of `calibration`.
   */
  likelihood?: boolean;
  seed?: number;
}

const ENCODER_BITS = 400;
const ENCODER_ACTIVE = 21;
/** Numenta's NAB detector: 130 buckets over the value range widened by 20% on each side. */
const BUCKETS = 130;
const PADDING = 0.2;

/** One HTM: its own encoder wiring, spatial pooler and temporal memory. */
interface Member {
  encoder: ScalarEncoder | null;
  sp: SpatialPooler;
  tm: TemporalMemory;
}

interface Channel {
  members: Member[];
  /** Values held until the resolution is known. */
  buffer: number[];
  likelihood: AnomalyLikelihood | null;
}

interface MemberState {
  resolution: number | null;
  offset: number | null;
  perm: number[];
  tm: TemporalMemoryState;
}

export class Htm extends BaseStreamDetector {
  readonly name = 'htm';
  readonly resolution: number | undefined;
  readonly calibration: number;
  readonly columns: number;
  readonly cellsPerColumn: number;
  readonly maxSegments: number;
  readonly ensemble: number;
  readonly likelihood: boolean;
  readonly seed: number;
  private state: Channel[] = [];
  /** The encoded step (bits and columns per member) that `channelScore` computed for (channel, point, value), reused by the `learnChannel` after it. */
  private pending: ({ t: number; v: number; step: Encoded } | undefined)[] = [];

  constructor(opts: HtmOptions = {}) {
    const calibration = positiveInt('htm: calibration', opts.calibration ?? 750, 2);
    super(opts.resolution === undefined ? calibration + 1 : 1, opts);
    if (opts.resolution !== undefined && !(Number.isFinite(opts.resolution) && opts.resolution > 0)) {
      throw new OptionsError(`htm: resolution must be a positive number, got ${opts.resolution}`);
    }
    this.resolution = opts.resolution;
    this.calibration = calibration;
    this.columns = positiveInt('htm: columns', opts.columns ?? 2048, 256);
    this.cellsPerColumn = positiveInt('htm: cellsPerColumn', opts.cellsPerColumn ?? 32, 2);
    this.maxSegments = positiveInt('htm: maxSegments', opts.maxSegments ?? 65_536, 64);
    this.ensemble = positiveInt('htm: ensemble', opts.ensemble ?? 1);
    this.likelihood = opts.likelihood ?? true;
    this.seed = opts.seed ?? 1956;
    if (!Number.isInteger(this.seed)) throw new OptionsError(`htm: seed must be a whole number, got ${this.seed}`);
  }

  /** Active columns per point: Numenta's 40 of 2048. */
  private get active(): number {
    return Math.round((this.columns * 40) / 2048);
  }

  /** Base seed of member m of channel c; its encoder, pooler and memory use base + 1, 2 and 3. */
  private memberSeed(c: number, m: number): number {
    return this.seed + 4 * m + 7919 * c;
  }

  /** Segment thresholds in Numenta's proportion to the active columns (13, 10 and 20 of 40), so fewer columns still learn. */
  private tmParams(seed: number): TemporalMemoryParams {
    const a = this.active;
    return {
      columns: this.columns,
      cellsPerColumn: this.cellsPerColumn,
      activationThreshold: Math.max(1, Math.round((a * 13) / 40)),
      minThreshold: Math.max(1, Math.round(a / 4)),
      newSynapses: Math.max(1, Math.round(a / 2)),
      initialPermanence: 0.21,
      connected: 0.5,
      increment: 0.1,
      decrement: 0.1,
      maxSegmentsPerCell: 128,
      maxSynapsesPerSegment: 32,
      maxSegments: this.maxSegments,
      seed: seed + 1,
    };
  }

  private spatialPooler(seed: number, perm?: ArrayLike<number>): SpatialPooler {
    return new SpatialPooler(
      { inputSize: ENCODER_BITS, columns: this.columns, active: this.active, potential: 0.8, connected: 0.2, increment: 0.003, decrement: 0.0005, seed: seed + 2 },
      perm,
    );
  }

  private encoder(seed: number, resolution: number, offset: number): ScalarEncoder {
    return new ScalarEncoder(ENCODER_BITS, ENCODER_ACTIVE, resolution, offset, seed + 3);
  }

  private member(c: number, m: number): Member {
    const seed = this.memberSeed(c, m);
    return { encoder: null, sp: this.spatialPooler(seed), tm: new TemporalMemory(this.tmParams(seed)) };
  }

  private newLikelihood(): AnomalyLikelihood | null {
    if (!this.likelihood) return null;
    const learning = Math.floor(this.calibration / 2);
    return new AnomalyLikelihood({ learning, estimation: this.calibration - learning });
  }

  protected init(channels: number): void {
    this.state = Array.from({ length: channels }, (_, c) => ({
      members: Array.from({ length: this.ensemble }, (_, m) => this.member(c, m)),
      buffer: [],
      likelihood: this.newLikelihood(),
    }));
    this.pending = [];
  }

  private columnsFor(c: number, v: number): Encoded {
    const p = this.pending[c];
    if (p && p.t === this.seen && p.v === v) return p.step;
    return encode(this.state[c]!.members, v);
  }

  protected channelScore(c: number, v: number): number {
    if (!Number.isFinite(v)) throw new FormatError(`htm: value ${v} is not a finite number`);
    const ch = this.state[c]!;
    if (!ch.members[0]!.encoder) return 0;
    const step = this.columnsFor(c, v);
    this.pending[c] = { t: this.seen, v, step };
    const raw = rawScore(ch.members, step.columns);
    return ch.likelihood ? AnomalyLikelihood.logScore(ch.likelihood.peek(raw)) : raw;
  }

  protected learnChannel(c: number, v: number): void {
    if (!Number.isFinite(v)) throw new FormatError(`htm: value ${v} is not a finite number`);
    const ch = this.state[c]!;
    if (ch.members[0]!.encoder) {
      learnStep(ch, this.columnsFor(c, v));
    } else if (this.resolution !== undefined) {
      this.startEncoding(c, this.resolution, v);
      learnStep(ch, encode(ch.members, v));
    } else {
      ch.buffer.push(v);
      if (ch.buffer.length < this.calibration) return;
      this.startEncoding(c, resolutionFor(ch.buffer), ch.buffer[0]!);
      // The buffered values are learned as if they arrived now, their raw scores feeding the likelihood.
      for (const x of ch.buffer) learnStep(ch, encode(ch.members, x));
      ch.buffer = [];
    }
    this.pending[c] = undefined;
  }

  private startEncoding(c: number, resolution: number, offset: number): void {
    this.state[c]!.members.forEach((m, k) => (m.encoder = this.encoder(this.memberSeed(c, k), resolution, offset)));
  }

  /** Distal segments held per channel, over its members (what bounds memory; not values). */
  segments(): number[] {
    return this.state.map((ch) => ch.members.reduce((n, m) => n + m.tm.segments, 0));
  }

  bufferedValues(): number {
    return Math.max(0, ...this.state.map((ch) => ch.buffer.length));
  }

  protected params(): Record<string, unknown> {
    return {
      resolution: this.resolution ?? null,
      calibration: this.calibration,
      columns: this.columns,
      cellsPerColumn: this.cellsPerColumn,
      maxSegments: this.maxSegments,
      ensemble: this.ensemble,
      likelihood: this.likelihood,
      seed: this.seed,
    };
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      channelStates: this.state.map((ch) => ({
        buffer: [...ch.buffer],
        likelihood: ch.likelihood?.toJSON() ?? null,
        members: ch.members.map(
          (m): MemberState => ({
            resolution: m.encoder?.resolution ?? null,
            offset: m.encoder?.offset ?? null,
            perm: Array.from(m.sp.perm),
            tm: m.tm.toJSON(),
          }),
        ),
      })),
    };
  }

  static fromJSON(state: unknown): Htm {
    const s = checkState(state, 'htm');
    const p = s.params;
    const h = new Htm({
      resolution: (p['resolution'] as number | null) ?? undefined,
      calibration: p['calibration'] as number,
      columns: p['columns'] as number,
      cellsPerColumn: p['cellsPerColumn'] as number,
      maxSegments: p['maxSegments'] as number,
      ensemble: p['ensemble'] as number,
      likelihood: p['likelihood'] as boolean,
      seed: p['seed'] as number,
      warmup: s.warmup,
    });
    h.restoreCommon(s);
    const chs = s.state['channelStates'] as { buffer: unknown; members: unknown; likelihood: AnomalyLikelihoodState | null }[];
    if (!Array.isArray(chs) || chs.length !== h.channels) throw new FormatError('htm: inconsistent state');
    h.state = chs.map((ch, c) => {
      if (!Array.isArray(ch?.buffer) || !Array.isArray(ch.members) || ch.members.length !== h.ensemble) throw new FormatError('htm: inconsistent state');
      const members = (ch.members as MemberState[]).map((st, k): Member => {
        const seed = h.memberSeed(c, k);
        if (!Array.isArray(st?.perm)) throw new FormatError('htm: inconsistent state');
        const sp = h.spatialPooler(seed, st.perm);
        if (st.perm.length !== sp.perm.length) throw new FormatError('htm: inconsistent state');
        const encoder = st.resolution === null || st.offset === null ? null : h.encoder(seed, st.resolution, st.offset);
        return { encoder, sp, tm: TemporalMemory.fromJSON(h.tmParams(seed), st.tm) };
      });
      if ((ch.likelihood === null) === h.likelihood) throw new FormatError('htm: inconsistent state');
      return { members, buffer: [...(ch.buffer as number[])], likelihood: ch.likelihood ? AnomalyLikelihood.fromJSON(ch.likelihood) : null };
    });
    return h;
  }
}

/** One step as each member sees it: the encoder's bits for the value, and the columns they activate. */
interface Encoded {
  inputs: Int32Array[];
  columns: Int32Array[];
}

/** Each member's input bits and active columns for v (the bits are kept for the pooler's learning). */
function encode(members: Member[], v: number): Encoded {
  const inputs = members.map((m) => m.encoder!.encode(v));
  return { inputs, columns: members.map((m, k) => m.sp.compute(inputs[k]!)) };
}

/** The members' mean share of active columns their memory did not predict. */
function rawScore(members: Member[], columns: Int32Array[]): number {
  let sum = 0;
  members.forEach((m, k) => {
    let predicted = 0;
    for (const col of columns[k]!) predicted += m.tm.predicted[col]!;
    sum += 1 - predicted / columns[k]!.length;
  });
  return sum / members.length;
}

/** One step of learning: the likelihood takes the raw score, then each member learns the encoded value. */
function learnStep(ch: Channel, step: Encoded): void {
  ch.likelihood?.update(rawScore(ch.members, step.columns));
  ch.members.forEach((m, k) => {
    m.sp.learn(step.inputs[k]!, step.columns[k]!);
    m.tm.compute(step.columns[k]!);
  });
}

/** Numenta's NAB resolution for these values' range; a constant stretch gets a small positive one. */
export function resolutionFor(values: ArrayLike<number>): number {
  const [lo, hi] = extent(values);
  const range = (hi - lo) * (1 + 2 * PADDING);
  return range > 0 ? range / BUCKETS : Math.max(1e-3, Math.abs(lo) * 1e-3);
}
