/**
 * What the entity features remember between rows: per key column, the histories of its most
 * recently seen entities (at most maxEntities, the least recently seen forgotten first) and the
 * latest time seen. Rows go through it in time order; each row reads its entities' past, then
 * joins it, so a row never sees itself or anything after it.
 */
import { History, type HistoryShape, type KeyColumns } from './history.js';

/** A spec resolved against the frame it was fitted on: every list explicit. */
export interface EntityLayout {
  keys: string[];
  time: string;
  /** As given ('1h'), for feature names. */
  windows: string[];
  /** In seconds. */
  windowSeconds: number[];
  values: string[];
  distinct: string[];
  maxEntities: number;
  maxEventsPerEntity: number;
  timeUnit: 's' | 'ms';
}

/** One batch of rows, column by column; times in seconds. */
export interface EntityInput {
  rows: number;
  times: Float64Array;
  /** Per key column: the entity of each row, null when missing. */
  keys: (string | null)[][];
  /** Per value column. */
  values: Float64Array[];
  /** Per distinct column. */
  tokens: (string | null)[][];
}

export class EntityState {
  readonly shape: HistoryShape;
  /** Latest time seen, in seconds; -Infinity before the first row. */
  clock = -Infinity;
  /** Rows seen, and per key the entities forgotten to stay within maxEntities. */
  rowsSeen = 0;
  readonly evicted: number[];

  constructor(
    readonly layout: EntityLayout,
    readonly entities: Map<string, History>[] = layout.keys.map(() => new Map()),
  ) {
    this.shape = { windows: layout.windowSeconds, values: layout.values.length, distinct: layout.distinct.length, maxEvents: layout.maxEventsPerEntity };
    this.evicted = layout.keys.map(() => 0);
  }

  /** Fresh output columns for `rows` rows. */
  columns(rows: number): KeyColumns[] {
    const { windows: W, values: V, distinct: D } = this.shape;
    const cols = (k: number): Float64Array[] => Array.from({ length: k }, () => new Float64Array(rows));
    return this.layout.keys.map(() => ({ count: cols(W.length), sum: cols(W.length * V), mean: cols(W.length * V), distinct: cols(W.length * D), sincePrev: new Float64Array(rows), z: cols(V) }));
  }

  /**
   * Reads then records the rows in `order` (times never decreasing, none before `clock`), writing
   * each row's features at its own index of `out`.
   */
  process(input: EntityInput, order: ArrayLike<number>, out: KeyColumns[]): void {
    const V = this.shape.values;
    const D = this.shape.distinct;
    const x = new Float64Array(V);
    const tok: (string | null)[] = new Array(D).fill(null);
    const found: (History | undefined)[] = this.layout.keys.map(() => undefined);
    for (let r = 0; r < order.length; r++) {
      const i = order[r]!;
      const t = input.times[i]!;
      for (let v = 0; v < V; v++) x[v] = input.values[v]![i]!;
      for (let d = 0; d < D; d++) tok[d] = input.tokens[d]![i] ?? null;
      for (let k = 0; k < found.length; k++) {
        const id = input.keys[k]![i] ?? null;
        const h = id === null ? undefined : this.entities[k]!.get(id);
        found[k] = h;
        if (h) {
          h.expire(t);
          h.read(t, x, out[k]!, i);
        } else unseen(out[k]!, i);
      }
      for (let k = 0; k < found.length; k++) {
        const id = input.keys[k]![i] ?? null;
        if (id === null) continue;
        const map = this.entities[k]!;
        const h = found[k] ?? new History(this.shape);
        // Re-inserting keeps the map in least-recently-seen order, the eviction order.
        map.delete(id);
        map.set(id, h);
        h.add(t, x, tok);
        if (map.size > this.layout.maxEntities) {
          map.delete(map.keys().next().value as string);
          this.evicted[k]!++;
        }
      }
      this.clock = t;
    }
    this.rowsSeen += order.length;
  }

  clone(): EntityState {
    const s = new EntityState(this.layout, this.entities.map((m) => new Map([...m].map(([id, h]) => [id, h.clone()]))));
    s.clock = this.clock;
    s.rowsSeen = this.rowsSeen;
    s.evicted.splice(0, s.evicted.length, ...this.evicted);
    return s;
  }
}

/** An entity with no past (never seen, forgotten, or a missing key): no events, no previous row, no deviation. */
function unseen(out: KeyColumns, i: number): void {
  for (const c of out.count) c[i] = 0;
  for (const c of out.sum) c[i] = 0;
  for (const c of out.mean) c[i] = NaN;
  for (const c of out.distinct) c[i] = 0;
  out.sincePrev[i] = NaN;
  for (const c of out.z) c[i] = 0;
}
