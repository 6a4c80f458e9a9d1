import { z } from 'zod';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import { matrix, type Matrix } from '../core/matrix.js';
import type { ColumnSpec, Frame } from '../data/frame.js';
import type { Detector, FitContext, Json, StateArray } from '../detectors/detector.js';
import { createDetector, restoreDetector } from '../detectors/registry.js';
import { decode, encode, type Container } from '../persist/container.js';
import { Preprocessor, preprocessSpecSchema, type PreprocessSpec } from '../preprocess/index.js';
import { applyThreshold, autoCutoff, fitThreshold, thresholdSpecSchema, type AutoRule, type ThresholdSpec } from '../threshold/index.js';
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

export interface ModelFitContext extends FitContext {
  /** Columns the caller kept out of the frame (label, id, ignored), recorded in the column report. */
  setAside?: readonly SetAside[];
}

/** What a model knows about its own making; absent in files saved before vigil recorded it. */
export interface ModelRecord {
  report?: ColumnReport;
  training?: TrainingSummary;
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
  ) {}

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
    const { features, report } = planColumns(frame, s.preprocess.maxLevels, ctx.setAside);
    const preprocessor = Preprocessor.fit(features, s.preprocess as PreprocessSpec);
    const X = preprocessor.transform(features);
    if (X.cols === 0) {
      const left = report.columns.filter((c) => c.role === 'timestamp').map((c) => `'${c.name}'`);
      throw new DataError(`no feature columns left to fit on${left.length ? ` (${left.join(', ')}: timestamps, not features)` : ''}`);
    }
    const { setAside: _, ...fitCtx } = ctx;
    await detector.fit(X, fitCtx);
    const trainScores = await detector.score(X);
    const natural = detector.naturalThreshold?.();
    let cutoff: number;
    let autoRule: AutoRule | undefined;
    if (s.threshold.kind === 'auto') ({ cutoff, rule: autoRule } = autoCutoff(trainScores, natural));
    else cutoff = fitThreshold(s.threshold, trainScores, { natural });
    const training = summarizeTraining(trainScores, cutoff, {
      rows: frame.rows,
      features: X.cols,
      fitSeconds: (globalThis.performance.now() - started) / 1000,
      autoRule,
    });
    const columns = features.columns.map((c) => ({ name: c.name, kind: c.kind }));
    return new Model(columns, preprocessor, detector, s.threshold, cutoff, { report, training });
  }

  /** Whether `explain` gives per-column contributions (not every detector can). */
  get canExplain(): boolean {
    return this.detector.explain !== undefined;
  }

  /** The matrix the detector sees for this frame (columns picked by name). */
  features(frame: Frame): Matrix {
    return this.preprocessor.transform(this.pick(frame));
  }

  async score(frame: Frame): Promise<Float64Array> {
    return this.detector.score(this.features(frame));
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
    // Files from before the column report listed timestamp columns too, though no feature reads them.
    const columns = m.data.columns.filter((c) => c.kind !== 'timestamp');
    const { report, training } = m.data;
    return new Model(columns, Preprocessor.fromJSON(m.data.preprocess as Json), detector, m.data.threshold.spec, m.data.threshold.cutoff, {
      ...(report ? { report } : {}),
      ...(training ? { training } : {}),
    });
  }

  private pick(frame: Frame): Frame {
    const columns = this.columns.map((spec) => {
      const c = frame.columns.find((x) => x.name === spec.name);
      if (!c) {
        throw new DataError(`missing column '${spec.name}' that the model was trained on (have: ${frame.columns.map((x) => x.name).join(', ')})`);
      }
      if (c.kind !== spec.kind) throw new DataError(`column '${spec.name}' is ${c.kind} here but was ${spec.kind} in training`);
      return c;
    });
    return { rows: frame.rows, columns };
  }
}

const savedManifestSchema = z.object({
  format: z.literal('vigil-model'),
  columns: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical', 'timestamp']) })),
  preprocess: z.unknown(),
  detector: z.object({ name: z.string(), options: z.record(z.unknown()), params: z.record(z.unknown()) }),
  threshold: z.object({ spec: thresholdSpecSchema, cutoff: z.number() }),
  report: columnReportSchema.optional(),
  training: trainingSummarySchema.optional(),
});
