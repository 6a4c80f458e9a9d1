/**
 * Per-entity features of a frame: its columns checked against the spec, its rows taken in time
 * order (ties in file order) through an entity state, the features returned in the frame's own
 * row order beside its other columns.
 */
import { DataError } from '../../core/errors.js';
import type { Column, ColumnSpec, Frame, NumericColumn } from '../../data/frame.js';
import { parseEntitySpec, type EntityFeaturesSpec } from './spec.js';
import { windowSeconds } from './window.js';
import { EntityState, type EntityInput, type EntityLayout } from './state.js';
import type { KeyColumns } from './history.js';

export interface EntityFeaturesResult {
  /** The frame's columns but the keys and the time, then the feature columns. */
  frame: Frame;
  /** The state after these rows, to continue from. */
  state: EntityState;
  /** Rows that came after a later row in the frame: they were taken in time order. */
  outOfOrder: number;
}

/**
 * The layout of a spec on a frame: the value columns default to every numeric column but the
 * keys and the time. Unknown columns and columns of the wrong kind are DataErrors.
 */
export function entityLayout(frame: Frame, spec: EntityFeaturesSpec): EntityLayout {
  const s = parseEntitySpec(spec);
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const have = (): string => frame.columns.map((c) => c.name).join(', ');
  const need = (name: string, what: string): Column => {
    const c = byName.get(name);
    if (!c) throw new DataError(`entity ${what} column '${name}' is not in the data (columns: ${have()})`);
    return c;
  };
  for (const k of s.keys) if (need(k, 'key').kind === 'timestamp') throw new DataError(`entity key column '${k}' holds times, not ids`);
  const time = need(s.time, 'time');
  if (time.kind === 'categorical') throw new DataError(`entity time column '${s.time}' is not a time column: it holds text (give a column of timestamps or numbers)`);
  const values = s.values ?? frame.columns.filter((c) => c.kind === 'numeric' && c.name !== s.time && !s.keys.includes(c.name)).map((c) => c.name);
  for (const v of values) if (need(v, 'value').kind !== 'numeric') throw new DataError(`entity value column '${v}' is not numeric`);
  for (const d of s.distinct) {
    need(d, 'distinct');
    if (s.keys.length === 1 && s.keys[0] === d) throw new DataError(`entity distinct column '${d}' is the key itself`);
  }
  return {
    keys: s.keys,
    time: s.time,
    windows: s.windows,
    windowSeconds: s.windows.map((w) => windowSeconds(w)!),
    values,
    distinct: s.distinct,
    maxEntities: s.maxEntities,
    maxEventsPerEntity: s.maxEventsPerEntity,
    timeUnit: s.timeUnit,
  };
}

/** The input columns a layout reads, with the kinds they have in `frame`. */
export function layoutColumns(layout: EntityLayout, frame: Frame): ColumnSpec[] {
  const names = new Set([...layout.keys, layout.time, ...layout.values, ...layout.distinct]);
  return frame.columns.filter((c) => names.has(c.name)).map((c) => ({ name: c.name, kind: c.kind }));
}

/** Every feature column name a layout makes, in output order. */
export function entityFeatureNames(layout: EntityLayout): string[] {
  const out: string[] = [];
  for (const key of layout.keys) {
    for (const w of layout.windows) {
      out.push(`${key}.${w}.count`);
      for (const v of layout.values) out.push(`${key}.${w}.sum.${v}`);
      for (const v of layout.values) out.push(`${key}.${w}.mean.${v}`);
      for (const d of layout.distinct) out.push(`${key}.${w}.distinct.${d}`);
    }
    out.push(`${key}.since_prev`);
    for (const v of layout.values) out.push(`${key}.z.${v}`);
  }
  return out;
}

/** Per-entity features of `frame` (see the module comment), from no history. */
export function entityFeatures(frame: Frame, spec: EntityFeaturesSpec): EntityFeaturesResult {
  return advanceEntities(frame, new EntityState(entityLayout(frame, spec)));
}

/**
 * Per-entity features of `frame` continuing from `state`, which is left as it is. A row earlier
 * than the latest row the state has seen is a DataError: its features would need the past rewritten.
 */
export function continueEntityFeatures(frame: Frame, state: EntityState): EntityFeaturesResult {
  return advanceEntities(frame, state.clone());
}

/** As continueEntityFeatures, recording the rows in `state` itself. */
export function advanceEntities(frame: Frame, state: EntityState): EntityFeaturesResult {
  const layout = state.layout;
  const input = entityInput(frame, layout);
  const order = timeOrder(input.times);
  let outOfOrder = 0;
  for (let i = 0, latest = -Infinity; i < input.rows; i++) {
    if (input.times[i]! < latest) outOfOrder++;
    else latest = input.times[i]!;
  }
  if (input.rows && input.times[order[0]!]! < state.clock) {
    const i = order[0]!;
    throw new DataError(
      `column '${layout.time}': row ${i + 1} is earlier (${timeText(input.times[i]!, frame, layout)}) than the latest row the entity state has seen (${timeText(state.clock, frame, layout)}): entity features need rows in time order`,
    );
  }
  const out = state.columns(input.rows);
  state.process(input, order, out);
  const names = entityFeatureNames(layout);
  const values = out.flatMap((c) => flatten(c));
  const used = new Set([...layout.keys, layout.time]);
  const kept = frame.columns.filter((c) => !used.has(c.name));
  const features: NumericColumn[] = names.map((name, j) => ({ name, kind: 'numeric', values: values[j]! }));
  return { frame: { rows: frame.rows, columns: [...kept, ...features] }, state, outOfOrder };
}

/** One key's columns in the order entityFeatureNames lists them. */
function flatten(c: KeyColumns): Float64Array[] {
  const W = c.count.length;
  const V = c.z.length;
  const D = W ? c.distinct.length / W : 0;
  const out: Float64Array[] = [];
  for (let w = 0; w < W; w++) {
    out.push(c.count[w]!, ...c.sum.slice(w * V, (w + 1) * V), ...c.mean.slice(w * V, (w + 1) * V), ...c.distinct.slice(w * D, (w + 1) * D));
  }
  out.push(c.sincePrev, ...c.z);
  return out;
}

/** Each row's time in seconds, the clock entity states keep; a missing time is a DataError. */
export function entityTimes(frame: Frame, layout: EntityLayout): Float64Array {
  return entityInput(frame, { ...layout, values: [], distinct: [], keys: [] }).times;
}

/** A time in seconds as the data writes it: an ISO date for timestamp columns, else the number. */
export function timeText(seconds: number, frame: Frame, layout: EntityLayout): string {
  const kind = frame.columns.find((c) => c.name === layout.time)?.kind;
  return kind === 'timestamp' ? new Date(seconds * 1000).toISOString() : String(layout.timeUnit === 'ms' ? seconds * 1000 : seconds);
}

function entityInput(frame: Frame, layout: EntityLayout): EntityInput {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const col = (name: string): Column => {
    const c = byName.get(name);
    if (!c) throw new DataError(`missing column '${name}' that the entity features read (have: ${frame.columns.map((x) => x.name).join(', ')})`);
    return c;
  };
  const time = col(layout.time);
  if (time.kind === 'categorical') throw new DataError(`entity time column '${layout.time}' is not a time column: it holds text (give a column of timestamps or numbers)`);
  const perSecond = time.kind === 'timestamp' || layout.timeUnit === 'ms' ? 1000 : 1;
  const times = new Float64Array(frame.rows);
  for (let i = 0; i < frame.rows; i++) {
    const t = time.values[i]!;
    if (!Number.isFinite(t)) throw new DataError(`column '${layout.time}': row ${i + 1} has no time; entity features need one in every row`);
    times[i] = t / perSecond;
  }
  const text = (c: Column): (string | null)[] =>
    c.kind === 'categorical' ? c.values : Array.from(c.values, (v) => (Number.isNaN(v) ? null : String(v)));
  const values = layout.values.map((v) => {
    const c = col(v);
    if (c.kind !== 'numeric') throw new DataError(`entity value column '${v}' is not numeric`);
    return c.values;
  });
  return { rows: frame.rows, times, keys: layout.keys.map((k) => text(col(k))), values, tokens: layout.distinct.map((d) => text(col(d))) };
}

/** Row indexes sorted by time, ties kept in file order. */
function timeOrder(times: Float64Array): Int32Array {
  const order = Int32Array.from({ length: times.length }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) sorted = times[i]! >= times[i - 1]!;
  if (sorted) return order;
  return Int32Array.from([...order].sort((a, b) => times[a]! - times[b]! || a - b));
}
