/**
 * Spatial pooler (Hawkins et al.; Cui, Ahmad & Hawkins 2017) with global inhibition and no
 * boosting, as Numenta's NAB detector runs it: each column sees a fixed random `potential` share
 * of the input bits; a column's overlap is its connected synapses (permanence >= `connected`) onto
 * active bits; the `active` columns with the largest overlap win, ties broken by a fixed random
 * rank; winners move permanences towards the input (+`increment` on active bits, -`decrement` on
 * the rest). Its output is a sparse code for the encoder's bits that adapts to the values seen.
 *
 * The potential pools and tie ranks come from the seed, so only the permanences are state.
 */
import { Rng } from '../../../core/random.js';

export interface SpatialPoolerParams {
  inputSize: number;
  columns: number;
  active: number;
  potential: number;
  connected: number;
  increment: number;
  decrement: number;
  seed: number;
}

export class SpatialPooler {
  /** Potential synapses per column. */
  readonly pool: number;
  /** Input bit of each potential synapse, `pool` per column. */
  private readonly source: Int32Array;
  /**
   * Whether each synapse is connected, grouped by input bit (CSR: bit b owns [fromStart[b],
   * fromStart[b + 1])), so the overlap pass reads memory in order and adds flags without a branch
   * (4x faster than comparing permanences); `at` maps a column's k-th synapse to its place there.
   */
  private readonly fromStart: Int32Array;
  private readonly fromColumn: Int32Array;
  private readonly at: Int32Array;
  private readonly connected: Uint8Array;
  /** Columns in tie-break order: of equal overlaps, the earlier wins. */
  private readonly byRank: Int32Array;
  /** Permanences, `pool` per column. */
  readonly perm: Float32Array;
  private readonly overlap: Int32Array;

  constructor(
    readonly p: SpatialPoolerParams,
    perm?: ArrayLike<number>,
  ) {
    const rng = new Rng(p.seed);
    this.pool = Math.max(1, Math.round(p.potential * p.inputSize));
    this.source = new Int32Array(p.columns * this.pool);
    const counts = new Int32Array(p.inputSize + 1);
    for (let c = 0; c < p.columns; c++) {
      const bits = rng.sample(p.inputSize, this.pool).sort();
      this.source.set(bits, c * this.pool);
      for (const b of bits) counts[b + 1]!++;
    }
    this.fromStart = new Int32Array(p.inputSize + 1);
    for (let b = 0; b < p.inputSize; b++) this.fromStart[b + 1] = this.fromStart[b]! + counts[b + 1]!;
    this.fromColumn = new Int32Array(this.source.length);
    this.at = new Int32Array(this.source.length);
    const fill = this.fromStart.slice(0, p.inputSize);
    for (let s = 0; s < this.source.length; s++) {
      const pos = fill[this.source[s]!]!++;
      this.fromColumn[pos] = (s / this.pool) | 0;
      this.at[s] = pos;
    }
    this.byRank = rng.permutation(p.columns);
    // Half the potential synapses start just connected, half just not, so learning moves them soon.
    this.perm = new Float32Array(this.source.length);
    if (perm) {
      this.perm.set(perm);
    } else {
      for (let s = 0; s < this.source.length; s++) {
        const on = rng.next() < 0.5;
        this.perm[s] = Math.max(0, on ? p.connected + 0.1 * rng.next() : p.connected - 0.1 * rng.next());
      }
    }
    this.connected = new Uint8Array(this.source.length);
    for (let s = 0; s < this.source.length; s++) this.connected[this.at[s]!] = this.perm[s]! >= p.connected ? 1 : 0;
    this.overlap = new Int32Array(p.columns);
  }

  /** The winning columns for the active input bits, ascending. */
  compute(input: Int32Array): Int32Array {
    const { columns, active } = this.p;
    const overlap = this.overlap;
    const connected = this.connected;
    const fromColumn = this.fromColumn;
    overlap.fill(0);
    for (let i = 0; i < input.length; i++) {
      const b = input[i]!;
      const end = this.fromStart[b + 1]!;
      for (let k = this.fromStart[b]!; k < end; k++) overlap[fromColumn[k]!]! += connected[k]!;
    }
    let most = 0;
    for (let c = 0; c < columns; c++) if (overlap[c]! > most) most = overlap[c]!;
    // Counting select: the overlap level whose columns fill the quota, then that level by rank.
    const atLevel = new Int32Array(most + 1);
    for (let c = 0; c < columns; c++) atLevel[overlap[c]!]!++;
    let level = most;
    let above = 0;
    while (level > 0 && above + atLevel[level]! < active) above += atLevel[level--]!;
    const out = new Int32Array(Math.min(active, columns));
    let n = 0;
    for (let c = 0; c < columns; c++) if (overlap[c]! > level) out[n++] = c;
    for (let r = 0; r < columns && n < out.length; r++) {
      const c = this.byRank[r]!;
      if (overlap[c] === level) out[n++] = c;
    }
    return out.sort();
  }

  /** Moves the winners' permanences towards the input that made them win. */
  learn(input: Int32Array, winners: Int32Array): void {
    const on = new Uint8Array(this.p.inputSize);
    for (const b of input) on[b] = 1;
    const { increment, decrement, connected } = this.p;
    const { perm, source, at, pool } = this;
    for (let i = 0; i < winners.length; i++) {
      const end = (winners[i]! + 1) * pool;
      for (let s = winners[i]! * pool; s < end; s++) {
        const old = perm[s]!;
        const v = on[source[s]!] ? old + increment : old - decrement;
        perm[s] = v < 0 ? 0 : v > 1 ? 1 : v;
        if (old >= connected !== perm[s]! >= connected) this.connected[at[s]!] ^= 1;
      }
    }
  }
}
