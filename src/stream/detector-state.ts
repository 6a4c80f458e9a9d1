/**
 * A series detector's learned state as plain JSON, for stream checkpoints (a model file stores
 * the arrays as bytes instead). Numbers are written as JSON numbers, which round-trip exactly; the
 * non-finite ones JSON lacks are written as the strings 'NaN', 'Infinity' and '-Infinity'.
 */
import { FormatError } from '../core/errors.js';
import type { DetectorState, Json, StateArray } from '../detectors/detector.js';

export interface DetectorStateJSON {
  params: { [k: string]: Json };
  arrays: { [k: string]: { type: ArrayType; values: (number | string)[] } };
}

type ArrayType = 'f64' | 'f32' | 'i32' | 'u8';

const MAKE: Record<ArrayType, (values: number[]) => StateArray> = {
  f64: (v) => Float64Array.from(v),
  f32: (v) => Float32Array.from(v),
  i32: (v) => Int32Array.from(v),
  u8: (v) => Uint8Array.from(v),
};

function typeOf(a: StateArray): ArrayType {
  return a instanceof Float64Array ? 'f64' : a instanceof Float32Array ? 'f32' : a instanceof Int32Array ? 'i32' : 'u8';
}

export function detectorStateToJSON(s: DetectorState): DetectorStateJSON {
  const arrays: DetectorStateJSON['arrays'] = {};
  for (const [k, a] of Object.entries(s.arrays)) arrays[k] = { type: typeOf(a), values: Array.from(a, (v) => (Number.isFinite(v) ? v : String(v))) };
  return { params: s.params, arrays };
}

export function detectorStateFromJSON(j: DetectorStateJSON): DetectorState {
  if (!j || typeof j.params !== 'object' || typeof j.arrays !== 'object') throw new FormatError('not a detector state');
  const arrays: DetectorState['arrays'] = {};
  for (const [k, a] of Object.entries(j.arrays)) {
    const make = MAKE[a.type];
    if (!make || !Array.isArray(a.values)) throw new FormatError(`detector state: bad array '${k}'`);
    arrays[k] = make(a.values.map((v) => (typeof v === 'number' ? v : Number(v))));
  }
  return { params: j.params, arrays };
}
