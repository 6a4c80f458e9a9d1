/**
 * An approximate running median of integer levels 0..max, kept as a histogram and a pointer that
 * moves one occupied level at a time towards the middle count. It is ARTime's median (Hampton
 * 2021): O(levels) memory for any stream length, and not exact while the pointer catches up.
 */
export interface LevelMedianState {
  counts: number[];
  level: number;
  below: number;
  above: number;
  seen: number;
}

export class LevelMedian {
  private counts: Int32Array;
  private level = 0;
  /** Values seen strictly below and above `level` (as the pointer knew them when they came). */
  private below = 0;
  private above = 0;
  private seen = 0;

  constructor(readonly max: number) {
    this.counts = new Int32Array(max + 1);
  }

  /** Adds a level and returns the median level after it. */
  add(v: number): number {
    this.counts[v]!++;
    this.seen++;
    if (this.seen === 1) this.level = v;
    if (this.level > v) this.below++;
    else if (this.level < v) this.above++;
    const middle = this.seen >> 1;
    if (middle < this.above) {
      this.below += this.counts[this.level]!;
      do this.level++;
      while (this.counts[this.level] === 0);
      this.above -= this.counts[this.level]!;
    } else if (middle < this.below) {
      this.above += this.counts[this.level]!;
      do this.level--;
      while (this.counts[this.level] === 0);
      this.below -= this.counts[this.level]!;
    }
    return this.level;
  }

  clone(): LevelMedian {
    const m = new LevelMedian(this.max);
    m.counts = this.counts.slice();
    m.level = this.level;
    m.below = this.below;
    m.above = this.above;
    m.seen = this.seen;
    return m;
  }

  toJSON(): LevelMedianState {
    return { counts: Array.from(this.counts), level: this.level, below: this.below, above: this.above, seen: this.seen };
  }

  static fromJSON(max: number, s: LevelMedianState): LevelMedian {
    const m = new LevelMedian(max);
    if (!Array.isArray(s?.counts) || s.counts.length !== max + 1) throw new RangeError('level median: bad state');
    m.counts = Int32Array.from(s.counts);
    m.level = s.level;
    m.below = s.below;
    m.above = s.above;
    m.seen = s.seen;
    return m;
  }
}
