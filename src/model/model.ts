import { z } from 'zod';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import type { ColumnSpec, Frame } from '../data/frame.js';
import type { Detector, FitContext, Json, StateArray } from '../detectors/detector.js';
import { createDetector, restoreDetector } from '../detectors/registry.js';
import { decode, encode, type Container } from '../persist/container.js';
import { Preprocessor, preprocessSpecSchema, type PreprocessSpec } from '../preprocess/index.js';
import {
  EntityState,
  advanceEntities,
  continueEntityFeatures,
  entityFeatureNames,
  entityFeaturesSchema,
  entityLayout,
  layoutColumns,
  loadEntityState,
  saveEntityState,
  type EntityFeaturesResult,
} from '../preprocess/entity/index.js';
import {
  applyThreshold,
  autoCutoff,
  exceedances,
  fitThreshold,
  parseCalibration,
  thresholdSpecSchema,
  type AutoRule,
  type CalibrationState,
  type ThresholdSpec,
} from '../threshold/index.js';
import { noCalibration, planHoldout, thresholdChoiceSchema, validationScores, type ThresholdChoice } from './calibrate.js';
import { VERSION } from '../version.js';
import { columnReportSchema, planColumns, type ColumnReport, type SetAside } from './column-report.js';
import { summarizeTraining, trainingSummarySchema, type TrainingSummary } from './training-summary.js';

/** What to build: plain data, validated; the same shape the CLI and (later) the HTTP API take. */
export const modelSpecSchema = z
  .object({
    detector: z.string(),
    options: z.record(z.unknown()).default({}),
    preprocess: preprocessSpecSchema.default({}),
    threshold: thresholdSpecSchema.default({ kind: 'contamination', rate: 0.1 }),
    /**
     * Where calibrated scores and the threshold are learned: the training scores, or (holdout)
     * the scores of that share of rows, held back from the detector's fit. A cost threshold
     * without validation data holds back 0.2 unless told.
     */
    calibration: z.object({ holdout: z.number().gt(0).lt(1).optional() }).strict().default({}),
    /**
     * Per-entity features: the keys and time are read, not fed to the detector; the model keeps
     * the entities' state, so scoring continues from the training rows (see docs/features.md).
     */
    entity: entityFeaturesSchema.optional(),
  })
  .strict();
export type ModelSpec = z.input<typeof modelSpecSchema>;

export interface Explanation {
  /** Source column names, one per explanation column. */
  columns: string[];
  /** rows x columns contributions; one-hot features are summed back into their column. */
  values: Matrix;
}

const PREFIX = 'detector/';
const ENTITY_PREFIX = 'entity/';

export interface ModelFitContext extends FitContext {
  /** Columns the caller kept out of the frame (label, id, ignored), recorded in the column report. */
  setAside?: readonly SetAside[];
  /** Labelled rows to choose the threshold on (a cost threshold, say) instead of the training rows. */
  validation?: { frame: Frame; labels?: Uint8Array };
  /** For alert budgets when a frame has no timestamp column: how many rows make a day. */
  rowsPerDay?: number;
}

/** What a model knows about its own making; absent in files saved before vigil recorded it. */
export interface ModelRecord {
  report?: ColumnReport;
  training?: TrainingSummary;
  /** What the threshold does on the rows it was chosen on: alerts per day, recall, cost. */
  choice?: ThresholdChoice;
  /** Entity models, at fit: training rows that came after a later row, taken in time order. */
  entityOutOfOrder?: number;
}

/**
 * The pipeline a user fits and saves: column schema -> preprocessing -> detector -> threshold.
 * Everything it holds is plain data plus typed arrays, so it saves to the portable model file.
 */
export class Model {
  private constructor(
    /** The columns scoring needs: the features, with the kinds they had in training. */
    readonly columns: ColumnSpec[],
    readonly preprocessor: Preprocessor,
    readonly detector: Detector,
    readonly threshold: ThresholdSpec,
    /** Scores above this are anomalies. */
    readonly cutoff: number,
    readonly record: ModelRecord = {},
    /** Fitted on normal rows' scores; absent in older files and for fewer than CALIBRATION_MIN_SCORES rows. */
    readonly calibration?: CalibrationState,
    /** Entity models: what the entities did up to the latest row fitted or advanced over. */
    private entityState?: EntityState,
  ) {}

  /** The last frame whose entity features were computed, to score and explain it once. */
  private derived?: { frame: Frame; from: EntityState; result: EntityFeaturesResult };

  /**
   * Fits preprocessing, detector and threshold on a frame (label already split off). Columns that
   * are timestamps are left out of the features (and not needed to score); `record.report` says
   * what became of every column and warns about ids and label-like columns used as features.
   */
  static async fit(frame: Frame, spec: ModelSpec, ctx: ModelFitContext = {}): Promise<Model> {
    const parsed = modelSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new OptionsError(`model spec ${i.path.join('.') || ''}: ${i.message}`.replace(' :', ':'));
    }
    const s = parsed.data;
    const detector = createDetector(s.detector, s.options);
    if (frame.rows === 0) throw new DataError('no rows to fit on');
    const started = globalThis.performance.now();
    const entity = s.entity && advanceEntities(frame, new EntityState(entityLayout(frame, s.entity)));
    const setAside = [...(ctx.setAside ?? []), ...(entity ? entitySetAside(entity.state) : [])];
    const { features, report } = planColumns(entity ? entity.frame : frame, s.preprocess.maxLevels, setAside);
    const columns: ColumnSpec[] = entity
      ? entityInputColumns(frame, entity.state, features)
      : features.columns.map((c) => ({ name: c.name, kind: c.kind }));
    if (entity) markEntityFeatures(report, entity.state);
    const derive = (f: Frame): Frame => (entity ? continueEntityFeatures(pick(columns, f), entity.state).frame : pick(columns, f));
    const preprocessor = Preprocessor.fit(features, s.preprocess as PreprocessSpec);
    const X = preprocessor.transform(features);
    if (X.cols === 0) {
      const left = report.columns.filter((c) => c.role === 'timestamp').map((c) => `'${c.name}'`);
      throw new DataError(`no feature columns left to fit on${left.length ? ` (${left.join(', ')}: timestamps, not features)` : ''}`);
    }
    const { setAside: _s, validation: _v, rowsPerDay: _r, ...fitCtx } = ctx;
    const held = planHoldout(X.rows, s.calibration.holdout ?? (s.threshold.kind === 'cost' && !ctx.validation ? 0.2 : undefined));
    await detector.fit(held ? held.fitRows(X) : X, { ...fitCtx, labels: ctx.labels && held ? held.fitLabels(ctx.labels) : ctx.labels });
    const trainScores = await detector.score(X);
    const natural = detector.naturalThreshold?.();
    const v = await validationScores({
      frame,
      scores: trainScores,
      labels: ctx.labels,
      held,
      rowsPerDay: ctx.rowsPerDay,
      validation: ctx.validation && { ...ctx.validation, score: (f) => detector.score(preprocessor.transform(derive(f))) },
      threshold: s.threshold,
    });
    let cutoff: number;
    let autoRule: AutoRule | undefined;
    if (s.threshold.kind === 'auto') ({ cutoff, rule: autoRule } = autoCutoff(v.scores, natural));
    else cutoff = fitThreshold(s.threshold, v.scores, { natural, labels: v.labels, days: v.days, calibration: v.calibration });
    // What the cut does is reported where it was chosen for it: a cost, a budget, held-back or validation rows.
    const reported = s.threshold.kind === 'cost' || s.threshold.kind === 'budget' || held !== undefined || ctx.validation !== undefined;
    const training = summarizeTraining(trainScores, cutoff, {
      rows: frame.rows,
      features: X.cols,
      fitSeconds: (globalThis.performance.now() - started) / 1000,
      autoRule,
    });
    const record: ModelRecord = { report, training, ...(reported ? { choice: v.choice(cutoff) } : {}), ...(entity ? { entityOutOfOrder: entity.outOfOrder } : {}) };
    return new Model(columns, preprocessor, detector, s.threshold, cutoff, record, v.calibration, entity?.state);
  }

  /** Whether `explain` gives per-column contributions (not every detector can). */
  get canExplain(): boolean {
    return this.detector.explain !== undefined;
  }

  /**
   * The matrix the detector sees for this frame (columns picked by name). An entity model reads
   * the rows in time order continuing from its entity state, which stays as it is: scoring the
   * same rows twice gives the same scores. `advance` moves the state on.
   */
  features(frame: Frame): Matrix {
    return this.preprocessor.transform(this.derive(frame));
  }

  /** Entity models: the entity state (undefined otherwise). */
  get entity(): EntityState | undefined {
    return this.entityState;
  }

  /** The same model with another entity state (a stream's own, say); detector and threshold are shared. */
  withEntity(state: EntityState): Model {
    if (!this.entityState) throw new DataError('this model has no entity features');
    return new Model(this.columns, this.preprocessor, this.detector, this.threshold, this.cutoff, this.record, this.calibration, state);
  }

  /**
   * Entity models: records these rows in the entity state, as a stream does after scoring them,
   * so the next frame's features count them; saved with the model. A no-op for other models.
   */
  advance(frame: Frame): void {
    if (!this.entityState) return;
    const d = this.derived;
    if (d && d.frame === frame && d.from === this.entityState) this.entityState = d.result.state;
    else advanceEntities(this.pick(frame), this.entityState);
    this.derived = undefined;
  }

  async score(frame: Frame): Promise<Float64Array> {
    return this.detector.score(this.features(frame));
  }

  /**
   * Calibrated p-values: per row, the estimated probability that a normal row scores at least
   * this high, in (0, 1]; the same scale for every detector ("page me at 1e-4").
   */
  async exceedance(frame: Frame): Promise<Float64Array> {
    return this.pValues(await this.score(frame));
  }

  /** Calibrated scores, 1 - exceedance: 0.999 means the same for every detector. */
  async calibrated(frame: Frame): Promise<Float64Array> {
    return (await this.exceedance(frame)).map((p) => 1 - p);
  }

  /** The p-values of scores this model gave. */
  pValues(scores: ArrayLike<number>): Float64Array {
    if (!this.calibration) throw noCalibration(this.record.training?.rows);
    return exceedances(this.calibration, scores);
  }

  async predict(frame: Frame): Promise<Uint8Array> {
    return applyThreshold(await this.score(frame), this.cutoff);
  }

  /** Per-column contributions, or undefined when the detector cannot explain itself. */
  async explain(frame: Frame): Promise<Explanation | undefined> {
    if (!this.detector.explain) return undefined;
    const perFeature = await this.detector.explain(this.features(frame));
    const source = this.preprocessor.featureColumns;
    const columns = [...new Set(source)];
    const index = new Map(columns.map((c, k) => [c, k]));
    const values = matrix(perFeature.rows, columns.length);
    for (let i = 0; i < perFeature.rows; i++) {
      for (let j = 0; j < perFeature.cols; j++) {
        values.data[i * columns.length + index.get(source[j]!)!]! += perFeature.data[i * perFeature.cols + j]!;
      }
    }
    return { columns, values };
  }

  toBytes(): Uint8Array {
    const state = this.detector.getState();
    const arrays: Record<string, StateArray> = {};
    for (const [k, a] of Object.entries(state.arrays)) arrays[PREFIX + k] = a;
    const entity = this.entityState && saveEntityState(this.entityState);
    for (const [k, a] of Object.entries(entity?.arrays ?? {})) arrays[ENTITY_PREFIX + k] = a;
    return encode({
      manifest: {
        format: 'vigil-model',
        vigil: VERSION,
        createdAt: new Date().toISOString(),
        columns: this.columns as unknown as Json,
        preprocess: this.preprocessor.toJSON(),
        detector: { name: this.detector.name, options: this.detector.options as Json, params: state.params },
        threshold: { spec: this.threshold, cutoff: this.cutoff },
        ...(this.record.report ? { report: this.record.report as unknown as Json } : {}),
        ...(this.record.training ? { training: this.record.training as unknown as Json } : {}),
        ...(this.record.choice ? { thresholdChoice: this.record.choice as unknown as Json } : {}),
        ...(this.calibration ? { calibration: this.calibration as unknown as Json } : {}),
        ...(entity ? { entity: entity.json as unknown as Json } : {}),
      },
      arrays,
    });
  }

  static fromBytes(bytes: Uint8Array): Model {
    return Model.fromContainer(decode(bytes));
  }

  static fromContainer({ manifest, arrays }: Container): Model {
    if (manifest['kind'] === 'series') throw new FormatError('this is a series model file, not a tabular model (it scores time series: give it series data)');
    const m = savedManifestSchema.safeParse(manifest);
    if (!m.success) throw new FormatError(`model file manifest is invalid: ${m.error.issues[0]?.message ?? 'unknown'}`);
    const detArrays: Record<string, StateArray> = {};
    for (const [k, a] of Object.entries(arrays)) if (k.startsWith(PREFIX)) detArrays[k.slice(PREFIX.length)] = a;
    const d = m.data.detector;
    const detector = restoreDetector(d.name, d.options, { params: d.params as Record<string, Json>, arrays: detArrays });
    const entityArrays: Record<string, StateArray> = {};
    for (const [k, a] of Object.entries(arrays)) if (k.startsWith(ENTITY_PREFIX)) entityArrays[k.slice(ENTITY_PREFIX.length)] = a;
    const entity = m.data.entity === undefined ? undefined : loadEntityState(m.data.entity, entityArrays);
    // Files from before the column report listed timestamp columns too, though no feature reads them.
    const columns = entity ? m.data.columns : m.data.columns.filter((c) => c.kind !== 'timestamp');
    const { report, training, thresholdChoice: choice } = m.data;
    const record = { ...(report ? { report } : {}), ...(training ? { training } : {}), ...(choice ? { choice } : {}) };
    const calibration = m.data.calibration === undefined ? undefined : parseCalibration(m.data.calibration);
    if (m.data.calibration !== undefined && !calibration) throw new FormatError('model file calibration is invalid');
    return new Model(columns, Preprocessor.fromJSON(m.data.preprocess as Json), detector, m.data.threshold.spec, m.data.threshold.cutoff, record, calibration, entity);
  }

  private pick(frame: Frame): Frame {
    return pick(this.columns, frame);
  }

  private derive(frame: Frame): Frame {
    const from = this.entityState;
    if (!from) return this.pick(frame);
    const d = this.derived;
    if (d && d.frame === frame && d.from === from) return d.result.frame;
    const result = continueEntityFeatures(this.pick(frame), from);
    this.derived = { frame, from, result };
    return result.frame;
  }
}

/** The entity keys and time, as the column report lists them. */
function entitySetAside(state: EntityState): SetAside[] {
  const { keys, time, windows } = state.layout;
  return [
    ...keys.map((name): SetAside => ({ name, role: 'entity', reason: `per-entity features over ${windows.join(', ')}` })),
    { name: time, role: 'timestamp', reason: 'the entity features\' time' },
  ];
}

/** What scoring an entity model reads: the raw columns its features and entity features come from, in the frame's order. */
function entityInputColumns(frame: Frame, state: EntityState, features: Frame): ColumnSpec[] {
  const needed = new Set([...layoutColumns(state.layout, frame).map((c) => c.name), ...features.columns.map((c) => c.name)]);
  return frame.columns.filter((c) => needed.has(c.name)).map((c) => ({ name: c.name, kind: c.kind }));
}

/** Says which feature columns are per-entity features, one reason per key. */
function markEntityFeatures(report: ColumnReport, state: EntityState): void {
  for (const key of state.layout.keys) {
    const names = new Set(entityFeatureNames({ ...state.layout, keys: [key] }));
    for (const c of report.columns) if (names.has(c.name)) c.reason = `per-${key} feature from earlier rows`;
  }
}

/** The frame's columns the model reads, in its order, checked against their training kinds. */
function pick(specs: readonly ColumnSpec[], frame: Frame): Frame {
  const columns = specs.map((spec) => {
    const c = frame.columns.find((x) => x.name === spec.name);
    if (!c) {
      throw new DataError(`missing column '${spec.name}' that the model was trained on (have: ${frame.columns.map((x) => x.name).join(', ')})`);
    }
    if (c.kind !== spec.kind) throw new DataError(`column '${spec.name}' is ${c.kind} here but was ${spec.kind} in training`);
    return c;
  });
  return { rows: frame.rows, columns };
}

const savedManifestSchema = z.object({
  format: z.literal('vigil-model'),
  columns: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical', 'timestamp']) })),
  preprocess: z.unknown(),
  detector: z.object({ name: z.string(), options: z.record(z.unknown()), params: z.record(z.unknown()) }),
  threshold: z.object({ spec: thresholdSpecSchema, cutoff: z.number() }),
  report: columnReportSchema.optional(),
  training: trainingSummarySchema.optional(),
  thresholdChoice: thresholdChoiceSchema.optional(),
  calibration: z.unknown().optional(),
  entity: z.unknown().optional(),
});
