import { z } from 'zod';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import type { Column, ColumnSpec, Frame } from '../data/frame.js';
import { categoryFill, numericFill } from './impute.js';
import { fitLevels, levelFeatureNames, levelIndex } from './onehot.js';
import { fitScale } from './scale.js';
import { checkScaledMagnitude } from './overflow.js';
import { preprocessSpecSchema, type PreprocessSpec, type ResolvedPreprocessSpec } from './spec.js';

const finite = z.number().finite();

const numericState = z.object({
  name: z.string(),
  kind: z.literal('numeric'),
  /** Stands in for missing values, before scaling. */
  fill: finite,
  center: finite,
  scale: finite.refine((s) => s !== 0, 'scale must not be 0'),
});

const categoricalState = z
  .object({
    name: z.string(),
    kind: z.literal('categorical'),
    fill: z.string().nullable(),
    levels: z.array(z.string()),
  })
  .refine((c) => new Set(c.levels).size === c.levels.length, 'levels must be distinct')
  .refine((c) => c.fill === null || c.levels.includes(c.fill), 'fill must be one of the levels');

/** Kept so the state lists every input column, but contributes no features. */
const timestampState = z.object({ name: z.string(), kind: z.literal('timestamp') });

const columnState = z.union([numericState, categoricalState, timestampState]);

export const preprocessorStateSchema = z
  .object({
    version: z.literal(1),
    spec: preprocessSpecSchema,
    columns: z.array(columnState),
  })
  .strict()
  .refine((s) => new Set(s.columns.map((c) => c.name)).size === s.columns.length, 'column names must be distinct');

/** Everything a fitted preprocessor knows, as plain JSON. */
export type PreprocessorState = z.output<typeof preprocessorStateSchema>;
type ColumnState = PreprocessorState['columns'][number];

/**
 * Turns a frame into the matrix detectors read: numeric columns imputed and scaled, categorical
 * columns imputed and one-hot encoded, timestamp columns left out. Fitted once, then immutable.
 */
export class Preprocessor {
  /** One name per matrix column: the column name, or `column=level` for one-hot features. */
  readonly featureNames: readonly string[];
  /** The input column each matrix column comes from, to sum per-feature values back per column. */
  readonly featureColumns: readonly string[];
  private readonly levelIndex: ReadonlyMap<string, ReadonlyMap<string, number>>;

  private constructor(private readonly state: PreprocessorState) {
    const names: string[] = [];
    const sources: string[] = [];
    const levels = new Map<string, Map<string, number>>();
    for (const c of state.columns) {
      const f = c.kind === 'numeric' ? [c.name] : c.kind === 'categorical' ? levelFeatureNames(c.name, c.levels) : [];
      for (const n of f) {
        names.push(n);
        sources.push(c.name);
      }
      if (c.kind === 'categorical') levels.set(c.name, new Map(c.levels.map((l, k) => [l, k])));
    }
    this.featureNames = names;
    this.featureColumns = sources;
    this.levelIndex = levels;
  }

  static fit(frame: Frame, spec: PreprocessSpec = {}): Preprocessor {
    const parsed = preprocessSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new OptionsError(`preprocess ${i.path.join('.') || 'spec'}: ${i.message}`);
    }
    const s = parsed.data;
    checkFrame(frame);
    const columns = frame.columns.map((c): ColumnState => {
      switch (c.kind) {
        case 'numeric': {
          const scale = fitScale(c.values, s.scaler);
          checkScaledMagnitude(c.name, c.values, scale, s.scaler);
          return { name: c.name, kind: 'numeric', fill: numericFill(c.values, s.impute), ...scale };
        }
        case 'categorical':
          return { name: c.name, kind: 'categorical', fill: categoryFill(c.values), levels: fitLevels(c.values, s.maxLevels) };
        case 'timestamp':
          return { name: c.name, kind: 'timestamp' };
      }
    });
    return new Preprocessor({ version: 1, spec: s, columns });
  }

  get spec(): ResolvedPreprocessSpec {
    return { ...this.state.spec };
  }

  /** The input columns, in the order fitted. */
  get columns(): ColumnSpec[] {
    return this.state.columns.map((c) => ({ name: c.name, kind: c.kind }));
  }

  /** The matrix for a frame that has (at least) the fitted columns, found by name. */
  transform(frame: Frame): Matrix {
    const byName = new Map(frame.columns.map((c) => [c.name, c]));
    const n = frame.rows;
    const d = this.featureNames.length;
    const out = matrix(n, d);
    const data = out.data;
    let j = 0;
    for (const c of this.state.columns) {
      if (c.kind === 'timestamp') continue;
      const col = findColumn(byName, c.name, c.kind, frame);
      if (c.kind === 'numeric') {
        const values = (col as Extract<Column, { kind: 'numeric' }>).values;
        for (let i = 0; i < n; i++) {
          const v = values[i]!;
          data[i * d + j] = ((Number.isNaN(v) ? c.fill : v) - c.center) / c.scale;
        }
        j++;
      } else {
        const values = (col as Extract<Column, { kind: 'categorical' }>).values;
        const index = this.levelIndex.get(c.name)!;
        const other = c.levels.length;
        for (let i = 0; i < n; i++) data[i * d + j + levelIndex(index, values[i] ?? null, c.fill, other)] = 1;
        j += other + 1;
      }
    }
    return out;
  }

  toJSON(): PreprocessorState {
    return structuredClone(this.state);
  }

  /** Restores a saved state; anything malformed is a FormatError naming the first problem. */
  static fromJSON(json: unknown): Preprocessor {
    return new Preprocessor(checkState(json));
  }
}

/** What fitting needs beyond the Frame type: distinct names and no infinities (JSON cannot hold them). */
function checkFrame(frame: Frame): void {
  const seen = new Set<string>();
  for (const c of frame.columns) {
    if (seen.has(c.name)) throw new DataError(`duplicate column name '${c.name}'`);
    seen.add(c.name);
    if (c.kind !== 'numeric') continue;
    for (let i = 0; i < frame.rows; i++) {
      const v = c.values[i]!;
      if (v === Infinity || v === -Infinity) throw new DataError(`column '${c.name}': row ${i + 1} has ${v} where a finite number is expected`);
    }
  }
}

function checkState(json: unknown): PreprocessorState {
  const r = preprocessorStateSchema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new FormatError(`preprocessor state is invalid: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

function findColumn(byName: Map<string, Column>, name: string, kind: Column['kind'], frame: Frame): Column {
  const col = byName.get(name);
  if (!col) {
    throw new DataError(`missing column '${name}' that the preprocessor was fitted on (have: ${frame.columns.map((c) => c.name).join(', ')})`);
  }
  if (col.kind !== kind) throw new DataError(`column '${name}' is ${col.kind} here but was ${kind} when fitted`);
  if (col.values.length < frame.rows) throw new DataError(`column '${name}' has ${col.values.length} values for ${frame.rows} rows`);
  return col;
}
