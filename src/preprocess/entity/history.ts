/**
 * One entity's recent past: a bounded ring of its events (time, values, distinct tokens) and, per
 * window, running sums and distinct-count maps over the events still inside it, so each row costs
 * O(1) amortised per window; plus running mean and spread of each value over its whole history.
 */

/** |z| above this is reported as this: a constant history makes any change infinitely far. */
export const Z_LIMIT = 100;

/** The shape every entity of one key shares. */
export interface HistoryShape {
  /** Window lengths, in seconds. */
  windows: readonly number[];
  values: number;
  distinct: number;
  maxEvents: number;
}

/** Output columns for one key, each with one value per row: what the entity's past says. */
export interface KeyColumns {
  /** Per window. */
  count: Float64Array[];
  /** Per window x value. */
  sum: Float64Array[];
  mean: Float64Array[];
  /** Per window x distinct column. */
  distinct: Float64Array[];
  sincePrev: Float64Array;
  /** Per value. */
  z: Float64Array[];
}

export class History {
  /** Events ever added (end) and the oldest still kept (start), as absolute indexes. */
  start = 0;
  end = 0;
  /** Physical slot of event `start`. */
  head = 0;
  times: Float64Array;
  vals: Float64Array;
  tokens: (string | null)[];
  /** Per window: the oldest event still inside it (absolute). */
  readonly wStart: number[];
  /** Per window x value: sum and number of present values. */
  readonly sums: Float64Array;
  readonly valid: Float64Array;
  /** Per window x distinct column: how often each token occurs inside the window. */
  readonly seen: Map<string, number>[];
  /** Per value: Welford's count, mean and sum of squared deviations over all earlier events. */
  readonly n: Float64Array;
  readonly mu: Float64Array;
  readonly m2: Float64Array;
  last = NaN;

  constructor(
    readonly shape: HistoryShape,
    capacity = Math.min(8, shape.maxEvents),
  ) {
    const { windows, values: V, distinct: D } = shape;
    this.times = new Float64Array(capacity);
    this.vals = new Float64Array(capacity * V);
    this.tokens = new Array<string | null>(capacity * D).fill(null);
    this.wStart = windows.map(() => 0);
    this.sums = new Float64Array(windows.length * V);
    this.valid = new Float64Array(windows.length * V);
    this.seen = Array.from({ length: windows.length * D }, () => new Map<string, number>());
    this.n = new Float64Array(V);
    this.mu = new Float64Array(V);
    this.m2 = new Float64Array(V);
  }

  get size(): number {
    return this.end - this.start;
  }

  private get capacity(): number {
    return this.times.length;
  }

  private slot(i: number): number {
    return (this.head + (i - this.start)) % this.capacity;
  }

  /** Drops from each window the events at or before t minus its length. */
  expire(t: number): void {
    const { windows } = this.shape;
    for (let w = 0; w < windows.length; w++) {
      const from = t - windows[w]!;
      while (this.wStart[w]! < this.end && this.times[this.slot(this.wStart[w]!)]! <= from) this.leave(w, this.wStart[w]!++);
    }
  }

  /** Writes row `row`'s features: the entity's past as it stands (call `expire(t)` first). */
  read(t: number, x: ArrayLike<number>, out: KeyColumns, row: number): void {
    const { windows, values: V, distinct: D } = this.shape;
    for (let w = 0; w < windows.length; w++) {
      out.count[w]![row] = this.end - this.wStart[w]!;
      for (let v = 0; v < V; v++) {
        const k = w * V + v;
        out.sum[k]![row] = this.sums[k]!;
        out.mean[k]![row] = this.valid[k]! > 0 ? this.sums[k]! / this.valid[k]! : NaN;
      }
      for (let d = 0; d < D; d++) out.distinct[w * D + d]![row] = this.seen[w * D + d]!.size;
    }
    out.sincePrev[row] = Number.isNaN(this.last) ? NaN : t - this.last;
    for (let v = 0; v < V; v++) out.z[v]![row] = zScore(x[v]!, this.n[v]!, this.mu[v]!, this.m2[v]!);
  }

  /** Adds an event at time t (never earlier than the last one). */
  add(t: number, x: ArrayLike<number>, tokens: readonly (string | null)[]): void {
    const { windows, values: V, distinct: D, maxEvents } = this.shape;
    if (this.size === maxEvents) this.evictOldest();
    else if (this.size === this.capacity) this.grow(Math.min(maxEvents, 2 * this.capacity));
    const s = this.slot(this.end);
    this.times[s] = t;
    for (let v = 0; v < V; v++) this.vals[s * V + v] = x[v]!;
    for (let d = 0; d < D; d++) this.tokens[s * D + d] = tokens[d] ?? null;
    this.end++;
    for (let w = 0; w < windows.length; w++) this.join(w, s);
    for (let v = 0; v < V; v++) {
      const xv = x[v]!;
      if (Number.isNaN(xv)) continue;
      const n = ++this.n[v]!;
      const delta = xv - this.mu[v]!;
      this.mu[v]! += delta / n;
      this.m2[v]! += delta * (xv - this.mu[v]!);
    }
    this.last = t;
  }

  /** The oldest event any window still holds: older ones can never count again. */
  get firstNeeded(): number {
    return this.wStart.length ? Math.min(...this.wStart) : this.end;
  }

  clone(): History {
    const h = new History(this.shape, 0);
    h.start = this.start;
    h.end = this.end;
    h.head = this.head;
    h.times = this.times.slice();
    h.vals = this.vals.slice();
    h.tokens = this.tokens.slice();
    h.wStart.splice(0, h.wStart.length, ...this.wStart);
    h.sums.set(this.sums);
    h.valid.set(this.valid);
    this.seen.forEach((m, k) => h.seen[k] = new Map(m));
    h.n.set(this.n);
    h.mu.set(this.mu);
    h.m2.set(this.m2);
    h.last = this.last;
    return h;
  }

  /** Event i's time, values and tokens (start <= i < end). */
  event(i: number): { t: number; x: Float64Array; tokens: (string | null)[] } {
    const { values: V, distinct: D } = this.shape;
    const s = this.slot(i);
    return { t: this.times[s]!, x: this.vals.slice(s * V, (s + 1) * V), tokens: this.tokens.slice(s * D, (s + 1) * D) };
  }

  private evictOldest(): void {
    for (let w = 0; w < this.wStart.length; w++) if (this.wStart[w] === this.start) this.leave(w, this.wStart[w]!++);
    this.start++;
    this.head = (this.head + 1) % this.capacity;
  }

  private grow(capacity: number): void {
    const { values: V, distinct: D } = this.shape;
    const times = new Float64Array(capacity);
    const vals = new Float64Array(capacity * V);
    const tokens = new Array<string | null>(capacity * D).fill(null);
    for (let i = this.start; i < this.end; i++) {
      const from = this.slot(i);
      const to = i - this.start;
      times[to] = this.times[from]!;
      for (let v = 0; v < V; v++) vals[to * V + v] = this.vals[from * V + v]!;
      for (let d = 0; d < D; d++) tokens[to * D + d] = this.tokens[from * D + d]!;
    }
    this.times = times;
    this.vals = vals;
    this.tokens = tokens;
    this.head = 0;
  }

  private join(w: number, s: number): void {
    const { values: V, distinct: D } = this.shape;
    for (let v = 0; v < V; v++) {
      const x = this.vals[s * V + v]!;
      if (Number.isNaN(x)) continue;
      this.sums[w * V + v]! += x;
      this.valid[w * V + v]!++;
    }
    for (let d = 0; d < D; d++) {
      const tok = this.tokens[s * D + d];
      if (tok === null || tok === undefined) continue;
      const m = this.seen[w * D + d]!;
      m.set(tok, (m.get(tok) ?? 0) + 1);
    }
  }

  private leave(w: number, i: number): void {
    const { values: V, distinct: D } = this.shape;
    const s = this.slot(i);
    for (let v = 0; v < V; v++) {
      const x = this.vals[s * V + v]!;
      if (Number.isNaN(x)) continue;
      const k = w * V + v;
      // An empty window's sum is exactly 0, whatever rounding the removals left.
      if (--this.valid[k]! === 0) this.sums[k] = 0;
      else this.sums[k]! -= x;
    }
    for (let d = 0; d < D; d++) {
      const tok = this.tokens[s * D + d];
      if (tok === null || tok === undefined) continue;
      const m = this.seen[w * D + d]!;
      const c = m.get(tok)! - 1;
      if (c === 0) m.delete(tok);
      else m.set(tok, c);
    }
  }
}

/** x against the running mean and spread; 0 until two values are known or when x is missing. */
export function zScore(x: number, n: number, mu: number, m2: number): number {
  if (n < 2 || Number.isNaN(x)) return 0;
  const sd = Math.sqrt(m2 / (n - 1));
  const d = x - mu;
  if (d === 0) return 0;
  if (!(sd > 0)) return d > 0 ? Z_LIMIT : -Z_LIMIT;
  return Math.max(-Z_LIMIT, Math.min(Z_LIMIT, d / sd));
}
