/**
 * Temporal memory (Hawkins & Ahmad 2016; the algorithm of Numenta's "BAMI" and NuPIC): sequence
 * learning over the spatial pooler's columns. Each column has `cellsPerColumn` cells; a cell's
 * distal segments hold synapses to cells active one step earlier. A segment with at least
 * `activationThreshold` connected synapses onto active cells predicts its cell. An active column
 * with predicted cells activates just those (the input was expected in this context); one without
 * bursts, activating every cell, and the best matching segment (or a new one on the least used
 * cell) learns the transition. The fraction of active columns that were not predicted is HTM's raw
 * anomaly score.
 *
 * Memory is bounded: at most `maxSegmentsPerCell` segments per cell (the least recently active
 * goes first) and `maxSegments` in all (when full, the least recently active eighth is forgotten).
 * Random choices hash (seed, step, subject), so the saved state is only what was learned.
 */
import { FormatError } from '../../../core/errors.js';
import { hash32 } from './hash.js';

export interface TemporalMemoryParams {
  columns: number;
  cellsPerColumn: number;
  activationThreshold: number;
  minThreshold: number;
  newSynapses: number;
  initialPermanence: number;
  connected: number;
  increment: number;
  decrement: number;
  maxSegmentsPerCell: number;
  maxSynapsesPerSegment: number;
  maxSegments: number;
  seed: number;
}

export interface TemporalMemoryState {
  iteration: number;
  segCell: number[];
  segUsed: number[];
  synPre: number[];
  synPerm: number[];
  free: number[];
  activeCells: number[];
  winnerCells: number[];
  activeSegments: number[];
  matchingSegments: number[];
  /** Active potential synapses of each matching segment, in `matchingSegments` order. */
  matchingPotential: number[];
}

/** A synapse weaker than this is removed. */
const EPSILON = 1e-5;

export class TemporalMemory {
  private readonly cells: number;
  /** Synapse slots per segment; a segment's synapses live in slots [seg * S, seg * S + S). */
  private readonly S: number;
  private capacity = 0;
  /** Segments allocated so far (slots at or above are unused). */
  private top = 0;
  private live = 0;
  private segCell = new Int32Array(0);
  private segUsed = new Float64Array(0);
  private segSynapses = new Int32Array(0);
  private synPre = new Int32Array(0);
  private synPerm = new Float32Array(0);
  private numConnected = new Int32Array(0);
  private numPotential = new Int32Array(0);
  /** Slots free for reuse, and those freed this step (reused from the next, so no list refers to a reused slot). */
  private free: number[] = [];
  private freedNow: number[] = [];
  private readonly cellSegs: (number[] | undefined)[];
  /** Synapse slots whose presynaptic cell is the index. */
  private readonly fromCell: (number[] | undefined)[];
  private iteration = 0;
  private activeCells = new Int32Array(0);
  private winnerCells = new Int32Array(0);
  private activeSegments: number[] = [];
  private matchingSegments: number[] = [];
  private touched: number[] = [];
  /** Columns predicted for the next step. */
  readonly predicted: Uint8Array;
  private readonly prevActiveFlag: Uint8Array;
  private readonly cellFlag: Uint8Array;
  /** Scratch marks of the cells a segment already reaches (all 0 between calls). */
  private readonly reached: Uint8Array;

  constructor(readonly p: TemporalMemoryParams) {
    this.cells = p.columns * p.cellsPerColumn;
    this.S = p.maxSynapsesPerSegment;
    this.cellSegs = new Array(this.cells);
    this.fromCell = new Array(this.cells);
    this.predicted = new Uint8Array(p.columns);
    this.prevActiveFlag = new Uint8Array(this.cells);
    this.cellFlag = new Uint8Array(this.cells);
    this.reached = new Uint8Array(this.cells);
    this.grow(1024);
  }

  get segments(): number {
    return this.live;
  }

  /** One step: the active columns (ascending) activate cells, learn the transition, and predict the next. */
  compute(activeColumns: Int32Array): void {
    this.activateCells(activeColumns);
    this.activateDendrites();
    this.free.push(...this.freedNow);
    this.freedNow = [];
  }

  private activateCells(activeColumns: Int32Array): void {
    const { cellsPerColumn: cpc, newSynapses } = this.p;
    const prevWinner = this.winnerCells;
    for (const c of this.activeCells) this.prevActiveFlag[c] = 1;
    const byColumn = (segs: number[]): Map<number, number[]> => {
      const m = new Map<number, number[]>();
      for (const s of segs) {
        const col = (this.segCell[s]! / cpc) | 0;
        const list = m.get(col);
        if (list) list.push(s);
        else m.set(col, [s]);
      }
      return m;
    };
    const activeBy = byColumn(this.activeSegments);
    const matchingBy = byColumn(this.matchingSegments);
    const active: number[] = [];
    const winners: number[] = [];
    for (const col of activeColumns) {
      const predicting = activeBy.get(col);
      if (predicting) {
        for (const s of predicting) {
          const cell = this.segCell[s]!;
          if (cell < 0) continue;
          if (!this.cellFlag[cell]) {
            this.cellFlag[cell] = 1;
            active.push(cell);
            winners.push(cell);
          }
          this.reinforce(s, newSynapses - this.numPotential[s]!, prevWinner);
        }
        continue;
      }
      for (let i = 0; i < cpc; i++) active.push(col * cpc + i);
      let best = -1;
      for (const s of matchingBy.get(col) ?? []) {
        if (this.segCell[s]! >= 0 && (best < 0 || this.numPotential[s]! > this.numPotential[best]!)) best = s;
      }
      if (best >= 0) {
        winners.push(this.segCell[best]!);
        this.reinforce(best, newSynapses - this.numPotential[best]!, prevWinner);
      } else {
        const cell = this.leastUsedCell(col);
        winners.push(cell);
        if (prevWinner.length > 0) this.growSynapses(this.createSegment(cell), Math.min(newSynapses, prevWinner.length), prevWinner);
      }
    }
    for (const c of active) this.cellFlag[c] = 0;
    for (const c of this.activeCells) this.prevActiveFlag[c] = 0;
    this.activeCells = Int32Array.from(active);
    this.winnerCells = Int32Array.from(winners);
  }

  /** Adapts a segment that was right, then grows it towards `newSynapses` active synapses. */
  private reinforce(s: number, grow: number, prevWinner: Int32Array): void {
    this.adapt(s, this.p.increment, this.p.decrement);
    if (this.segCell[s]! >= 0) this.growSynapses(s, grow, prevWinner);
  }

  private activateDendrites(): void {
    const { activationThreshold, minThreshold, connected, cellsPerColumn } = this.p;
    const { numConnected, numPotential, synPerm, fromCell, activeCells, S } = this;
    for (const s of this.touched) {
      numConnected[s] = 0;
      numPotential[s] = 0;
    }
    // The hottest loop: every synapse from every active cell (tens of thousands per step when columns burst).
    const touched: number[] = [];
    for (let i = 0; i < activeCells.length; i++) {
      const slots = fromCell[activeCells[i]!];
      if (!slots) continue;
      for (let k = 0; k < slots.length; k++) {
        const slot = slots[k]!;
        const s = (slot / S) | 0;
        if (numPotential[s] === 0) touched.push(s);
        numPotential[s]!++;
        if (synPerm[slot]! >= connected) numConnected[s]!++;
      }
    }
    this.touched = touched;
    this.activeSegments = touched.filter((s) => this.numConnected[s]! >= activationThreshold).sort((a, b) => a - b);
    this.matchingSegments = touched.filter((s) => this.numPotential[s]! >= minThreshold).sort((a, b) => a - b);
    this.predicted.fill(0);
    for (const s of this.activeSegments) {
      this.predicted[(this.segCell[s]! / cellsPerColumn) | 0] = 1;
      this.segUsed[s] = this.iteration;
    }
    this.iteration++;
  }

  /** Active synapses (presynaptic cell active last step) gain `inc`, the rest lose `dec`. */
  private adapt(s: number, inc: number, dec: number): void {
    for (let slot = s * this.S; slot < (s + 1) * this.S; slot++) {
      const pre = this.synPre[slot]!;
      if (pre < 0) continue;
      const v = Math.min(1, this.prevActiveFlag[pre] ? this.synPerm[slot]! + inc : this.synPerm[slot]! - dec);
      if (v < EPSILON) this.destroySynapse(slot);
      else this.synPerm[slot] = v;
    }
    if (this.segSynapses[s] === 0) this.destroySegment(s);
  }

  /** Up to n new synapses from segment s to last step's winner cells it does not reach yet, chosen at random. */
  private growSynapses(s: number, n: number, prevWinner: Int32Array): void {
    if (n <= 0) return;
    const base = s * this.S;
    const mark = this.reached;
    for (let slot = base; slot < base + this.S; slot++) if (this.synPre[slot]! >= 0) mark[this.synPre[slot]!] = 1;
    const candidates: number[] = [];
    for (let i = 0; i < prevWinner.length; i++) if (!mark[prevWinner[i]!]) candidates.push(prevWinner[i]!);
    for (let slot = base; slot < base + this.S; slot++) if (this.synPre[slot]! >= 0) mark[this.synPre[slot]!] = 0;
    let want = Math.min(n, candidates.length);
    const overrun = this.segSynapses[s]! + want - this.S;
    if (overrun > 0) this.destroyWeakest(s, overrun, new Set(prevWinner));
    want = Math.min(want, this.S - this.segSynapses[s]!);
    let slot = s * this.S;
    for (let i = 0; i < want; i++) {
      const j = i + (hash32(this.p.seed, this.iteration, s * 64 + i) % (candidates.length - i));
      const cell = candidates[j]!;
      candidates[j] = candidates[i]!;
      while (this.synPre[slot]! >= 0) slot++;
      this.synPre[slot] = cell;
      this.synPerm[slot] = this.p.initialPermanence;
      (this.fromCell[cell] ??= []).push(slot);
      this.segSynapses[s]!++;
    }
  }

  /** Removes segment s's n weakest synapses whose presynaptic cells are not in `keep`. */
  private destroyWeakest(s: number, n: number, keep: Set<number>): void {
    const slots: number[] = [];
    for (let slot = s * this.S; slot < (s + 1) * this.S; slot++) {
      const pre = this.synPre[slot]!;
      if (pre >= 0 && !keep.has(pre)) slots.push(slot);
    }
    slots.sort((a, b) => this.synPerm[a]! - this.synPerm[b]! || a - b);
    for (const slot of slots.slice(0, n)) this.destroySynapse(slot);
  }

  private destroySynapse(slot: number): void {
    const pre = this.synPre[slot]!;
    const list = this.fromCell[pre]!;
    const i = list.indexOf(slot);
    list[i] = list[list.length - 1]!;
    list.pop();
    this.synPre[slot] = -1;
    this.segSynapses[(slot / this.S) | 0]!--;
  }

  private destroySegment(s: number): void {
    for (let slot = s * this.S; slot < (s + 1) * this.S; slot++) if (this.synPre[slot]! >= 0) this.destroySynapse(slot);
    const list = this.cellSegs[this.segCell[s]!]!;
    list.splice(list.indexOf(s), 1);
    this.segCell[s] = -1;
    this.freedNow.push(s);
    this.live--;
  }

  private createSegment(cell: number): number {
    const mine = (this.cellSegs[cell] ??= []);
    if (mine.length >= this.p.maxSegmentsPerCell) {
      let oldest = mine[0]!;
      for (const s of mine) if (this.segUsed[s]! < this.segUsed[oldest]!) oldest = s;
      this.destroySegment(oldest);
    }
    if (this.live >= this.p.maxSegments) this.forgetOldest();
    let s = this.free.pop();
    if (s === undefined) {
      if (this.top === this.capacity) this.grow(this.capacity * 2);
      s = this.top++;
    }
    this.segCell[s] = cell;
    this.segUsed[s] = this.iteration;
    this.segSynapses[s] = 0;
    this.synPre.fill(-1, s * this.S, (s + 1) * this.S);
    mine.push(s);
    this.live++;
    return s;
  }

  /** Forgets the least recently active eighth of all segments (one sort per eighth, not one scan per segment). */
  private forgetOldest(): void {
    const liveSegs: number[] = [];
    for (let s = 0; s < this.top; s++) if (this.segCell[s]! >= 0) liveSegs.push(s);
    liveSegs.sort((a, b) => this.segUsed[a]! - this.segUsed[b]! || a - b);
    for (const s of liveSegs.slice(0, Math.max(1, liveSegs.length >> 3))) this.destroySegment(s);
  }

  private leastUsedCell(col: number): number {
    const cpc = this.p.cellsPerColumn;
    let fewest = Infinity;
    let ties = 0;
    for (let i = 0; i < cpc; i++) {
      const n = this.cellSegs[col * cpc + i]?.length ?? 0;
      if (n < fewest) {
        fewest = n;
        ties = 1;
      } else if (n === fewest) ties++;
    }
    let pick = hash32(this.p.seed, this.iteration, col) % ties;
    for (let i = 0; i < cpc; i++) {
      if ((this.cellSegs[col * cpc + i]?.length ?? 0) === fewest && pick-- === 0) return col * cpc + i;
    }
    throw new Error('unreachable: a column always has a least used cell');
  }

  private grow(capacity: number): void {
    const S = this.S;
    const copy = <T extends Int32Array | Float64Array | Float32Array>(a: T, make: (n: number) => T, n: number): T => {
      const b = make(n);
      b.set(a.subarray(0, Math.min(a.length, n)));
      return b;
    };
    this.segCell = copy(this.segCell, (n) => new Int32Array(n).fill(-1), capacity);
    this.segUsed = copy(this.segUsed, (n) => new Float64Array(n), capacity);
    this.segSynapses = copy(this.segSynapses, (n) => new Int32Array(n), capacity);
    this.numConnected = copy(this.numConnected, (n) => new Int32Array(n), capacity);
    this.numPotential = copy(this.numPotential, (n) => new Int32Array(n), capacity);
    this.synPre = copy(this.synPre, (n) => new Int32Array(n).fill(-1), capacity * S);
    this.synPerm = copy(this.synPerm, (n) => new Float32Array(n), capacity * S);
    this.capacity = capacity;
  }

  toJSON(): TemporalMemoryState {
    return {
      iteration: this.iteration,
      segCell: Array.from(this.segCell.subarray(0, this.top)),
      segUsed: Array.from(this.segUsed.subarray(0, this.top)),
      synPre: Array.from(this.synPre.subarray(0, this.top * this.S)),
      synPerm: Array.from(this.synPerm.subarray(0, this.top * this.S)),
      free: [...this.free],
      activeCells: Array.from(this.activeCells),
      winnerCells: Array.from(this.winnerCells),
      activeSegments: [...this.activeSegments],
      matchingSegments: [...this.matchingSegments],
      matchingPotential: this.matchingSegments.map((s) => this.numPotential[s]!),
    };
  }

  static fromJSON(p: TemporalMemoryParams, st: TemporalMemoryState): TemporalMemory {
    const tm = new TemporalMemory(p);
    const top = st.segCell?.length ?? -1;
    const S = tm.S;
    const okCell = (c: unknown): boolean => Number.isInteger(c) && (c as number) >= -1 && (c as number) < tm.cells;
    const okSeg = (s: unknown): boolean => Number.isInteger(s) && (s as number) >= 0 && (s as number) < top;
    if (
      top < 0 ||
      !Number.isInteger(st.iteration) ||
      st.segUsed?.length !== top ||
      st.synPre?.length !== top * S ||
      st.synPerm?.length !== top * S ||
      !st.segCell.every(okCell) ||
      !st.synPre.every(okCell) ||
      ![st.free, st.activeSegments, st.matchingSegments].every((a) => Array.isArray(a) && a.every(okSeg)) ||
      ![st.activeCells, st.winnerCells].every((a) => Array.isArray(a) && a.every((c) => okCell(c) && c >= 0)) ||
      st.matchingPotential?.length !== st.matchingSegments.length
    ) {
      throw new FormatError('htm: inconsistent temporal memory state');
    }
    tm.grow(Math.max(1024, top));
    tm.top = top;
    tm.iteration = st.iteration;
    tm.segCell.set(st.segCell);
    tm.segUsed.set(st.segUsed);
    tm.synPre.set(st.synPre);
    tm.synPerm.set(st.synPerm);
    for (let s = 0; s < top; s++) {
      const cell = tm.segCell[s]!;
      if (cell < 0) continue;
      (tm.cellSegs[cell] ??= []).push(s);
      tm.live++;
      for (let slot = s * S; slot < (s + 1) * S; slot++) {
        const pre = tm.synPre[slot]!;
        if (pre < 0) continue;
        (tm.fromCell[pre] ??= []).push(slot);
        tm.segSynapses[s]!++;
      }
    }
    tm.free = [...st.free];
    tm.activeCells = Int32Array.from(st.activeCells);
    tm.winnerCells = Int32Array.from(st.winnerCells);
    tm.activeSegments = [...st.activeSegments];
    tm.matchingSegments = [...st.matchingSegments];
    st.matchingSegments.forEach((s, i) => (tm.numPotential[s] = st.matchingPotential[i]!));
    tm.touched = [...st.matchingSegments];
    for (const s of tm.activeSegments) tm.predicted[(tm.segCell[s]! / p.cellsPerColumn) | 0] = 1;
    return tm;
  }
}
