/**
 * A tabular model from `vigil fit` scoring a stream row by row: a point's values and text fields
 * named as the model's training columns; anomaly = score above the model's cutoff (or the fixed
 * value a recalibration gave in its place). It learns
 * nothing; a drift watch only reports.
 */
import { DataError, FormatError } from '../../core/errors.js';
import { isMissing, parseNumber, parseTimestamp } from '../../data/values.js';
import type { RawRow } from '../../data/table.js';
import { toFrame } from '../../data/convert.js';
import type { Model } from '../../model/model.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import { driftFromJSON } from '../drift/registry.js';
import type { Lane, LaneKind, LaneResult } from './lane.js';
import type { ScorerPoint } from './types.js';
import { entityStateFromJson, entityStateToJson } from '../../preprocess/entity/index.js';

class ModelLane implements Lane {
  constructor(
    private readonly model: Model,
    private readonly drift: DriftDetector | null,
    private readonly cutoff: number,
  ) {}

  async push(_x: Float64Array, point: ScorerPoint): Promise<LaneResult> {
    const time = this.model.entity?.layout;
    const row: RawRow = this.model.columns.map((c) => {
      const v = point.values[c.name];
      // An entity model's time column, when the point leaves it out, is the point's own time.
      if (time && c.name === time.time && v === undefined && point.fields?.[c.name] === undefined) {
        return c.kind === 'timestamp' ? new Date(point.t).toISOString() : String(time.timeUnit === 'ms' ? point.t : point.t / 1000);
      }
      // JavaScript's shortest round-trip form: the cell parses back to the same number.
      return v !== undefined ? String(v) : point.fields![c.name]!;
    });
    const frame = toFrame(this.model.columns, [row]);
    // Entity models: this series' entity state moves on (each lane has its own copy).
    const score = (await this.model.scoreAndAdvance(frame))[0]!;
    const out: LaneResult = { score, anomaly: score > this.cutoff, threshold: this.cutoff, warm: true };
    if (this.drift) out.drift = this.drift.update(score);
    return out;
  }

  toJSON(): unknown {
    return { drift: this.drift ? this.drift.toJSON() : null, ...(this.model.entity ? { entity: entityStateToJson(this.model.entity) } : {}) };
  }
}

export function modelLanes(model: Model, drift: (() => DriftDetector) | null, cutoff: number): LaneKind {
  const columns = model.columns;
  return {
    channels: columns.map((c) => c.name),
    check(point) {
      for (const c of columns) {
        const v = point.values[c.name];
        const f = point.fields?.[c.name];
        if (v !== undefined && f !== undefined) throw new DataError(`'${c.name}' is in both values and fields`);
        if (v === undefined && f === undefined) {
          if (c.name === model.entity?.layout.time) continue;
          throw new DataError(`values.${c.name}: missing (a column the model was trained on)`);
        }
        if (v !== undefined) {
          if (c.kind === 'categorical') throw new DataError(`values.${c.name}: the model reads '${c.name}' as categorical; give it as text in fields`);
          continue;
        }
        if (f !== null && typeof f !== 'string') throw new DataError(`fields.${c.name}: ${JSON.stringify(f)} is not text or null`);
        if (f === null || isMissing(f) || c.kind === 'categorical') continue;
        const ok = c.kind === 'numeric' ? parseNumber(f) !== undefined : parseTimestamp(f) !== undefined;
        if (!ok) throw new DataError(`fields.${c.name}: ${JSON.stringify(f)} is not a ${c.kind === 'numeric' ? 'number' : 'time'}`);
      }
      for (const k of Object.keys(point.fields ?? {})) {
        if (!columns.some((c) => c.name === k)) throw new DataError(`fields.${k}: not a column the model was trained on (columns: ${columns.map((c) => c.name).join(', ')})`);
      }
    },
    make: () => new ModelLane(model.entity ? model.withEntity(model.entity.clone()) : model, drift ? drift() : null, cutoff),
    restore(key, state) {
      const s = state as { drift?: unknown };
      if (!s || typeof s !== 'object' || !('drift' in s)) throw new FormatError(`scorer state: series '${key}' is not a model's`);
      if ((s.drift === null) !== (drift === null)) throw new FormatError(`scorer state: series '${key}': the drift watch does not match the spec`);
      let own = model;
      if (model.entity) {
        const state = 'entity' in s ? entityStateFromJson((s as { entity: unknown }).entity) : model.entity.clone();
        if (JSON.stringify(state.layout) !== JSON.stringify(model.entity.layout)) throw new FormatError(`scorer state: series '${key}': the entity features do not match the model's`);
        own = model.withEntity(state);
      }
      return new ModelLane(own, s.drift === null ? null : driftFromJSON(s.drift), cutoff);
    },
  };
}
