/**
 * The scorer thread's feed of committed points: the HTTP thread hands over what it just committed
 * (packed, its buffers transferred), so the scorer need not read every point back from SQLite
 * (about a fifth of its time). The feed is only a cache of the database: points are taken from it
 * when they follow the scorer's cursor without a gap, and read from the database otherwise (after
 * a restart, points another process stored, a feed that overflowed), so scores never depend on it.
 */
import { loneValue, type CommittedRun, type StoredPoint } from '../storage/storage.js';

/** One run of points packed for postMessage: a lone `value` channel as numbers, other values as objects. */
export interface PackedRun {
  streamId: string;
  firstSeq: number;
  keys: string[];
  t: Float64Array;
  /** The points' `value` when each has only that channel; else null and `values` holds them. */
  value: Float64Array | null;
  values: Record<string, number>[] | null;
}

/** The database keeps -0 as 0 (a REAL, or JSON); so does the feed, so both give the same numbers. */
const noNegZero = (v: Record<string, number>): Record<string, number> => {
  for (const k in v) if (Object.is(v[k], -0)) return Object.fromEntries(Object.entries(v).map(([c, x]) => [c, x + 0]));
  return v;
};

/** The runs packed, and the buffers to transfer with them. */
export function packRuns(runs: readonly CommittedRun[]): { runs: PackedRun[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const packed = runs.map(({ streamId, firstSeq, points }) => {
    const n = points.length;
    const keys = new Array<string>(n);
    const t = new Float64Array(n);
    const lone = points.every((p) => loneValue(p.values) !== null);
    const value = lone ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const p = points[i]!;
      keys[i] = p.key;
      t[i] = p.t;
      if (value) value[i] = p.values['value']! + 0;
    }
    transfer.push(t.buffer as ArrayBuffer);
    if (value) transfer.push(value.buffer as ArrayBuffer);
    return { streamId, firstSeq, keys, t, value, values: lone ? null : points.map((p) => noNegZero(p.values)) };
  });
  return { runs: packed, transfer };
}

export class PointFeed {
  private runs: PackedRun[] = [];
  /** Points held; past `cap` the oldest runs are dropped (the scorer reads those from the database). */
  private held = 0;

  constructor(private readonly cap = 2_000_000) {}

  add(runs: readonly PackedRun[]): void {
    for (const r of runs) {
      this.runs.push(r);
      this.held += r.keys.length;
    }
    while (this.held > this.cap && this.runs.length) this.held -= this.runs.shift()!.keys.length;
  }

  /** The points after seq `after`, at most `limit`, when the feed has them without a gap from there; else null. */
  take(after: number, limit: number): StoredPoint[] | null {
    // What the scorer is past is of no more use.
    while (this.runs.length && this.runs[0]!.firstSeq + this.runs[0]!.keys.length - 1 <= after) this.held -= this.runs.shift()!.keys.length;
    const out: StoredPoint[] = [];
    let next = after + 1;
    for (const r of this.runs) {
      if (out.length >= limit || next < r.firstSeq || next >= r.firstSeq + r.keys.length) break;
      for (let i = next - r.firstSeq; i < r.keys.length && out.length < limit; i++, next++) {
        out.push({ seq: next, streamId: r.streamId, key: r.keys[i]!, t: r.t[i]!, values: r.value ? { value: r.value[i]! } : r.values![i]! });
      }
    }
    return out.length ? out : null;
  }
}
