/**
 * The saved series pipeline: timestamp column and value columns (channels) -> the data layer's
 * regular series (src/data/series.ts, with its gap policy) -> a fitted series detector -> a cutoff
 * learned on the training scores. With a series id column, one detector and cutoff per id, all in
 * one model; scoring data then needs the same ids. The model file is the tabular one's container
 * with `kind: 'series'` in the manifest, so each loader can refuse the other kind by name.
 */
import { z } from 'zod';
import { DataError, FormatError, OptionsError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { DEFAULT_MAX_GAP, seriesFromTable, timestampColumnOf, type TimeSeries } from '../data/series.js';
import type { RawTable } from '../data/table.js';
import type { FitContext, Json, StateArray } from '../detectors/detector.js';
import { createSeriesDetector, getSeriesDetector, restoreSeriesDetector } from '../detectors/series/registry.js';
import type { SeriesDetector, SeriesScores } from '../detectors/series/series-detector.js';
import { decode, encode, type Container } from '../persist/container.js';
import {
  CALIBRATION_MIN_SCORES,
  exceedances,
  fitCalibration,
  fitThreshold,
  parseCalibration,
  specForCount,
  thresholdSpecSchema,
  type CalibrationState,
  type ThresholdSpec,
} from '../threshold/index.js';
import { noCalibration } from './calibrate.js';
import { VERSION } from '../version.js';

export const seriesModelSpecSchema = z
  .object({
    detector: z.string(),
    options: z.record(z.unknown()).default({}),
    /** Default: the detector's own fixed cutoff if it has one, else peaks over threshold with risk 1e-4 on the training scores (see specForCount for short series). */
    threshold: thresholdSpecSchema.optional(),
    /** Timestamp column; default the first named as in TIMESTAMP_NAMES. */
    timestamp: z.string().optional(),
    /** Value columns; default every column but the timestamp and the series id. */
    values: z.array(z.string()).min(1).optional(),
    seriesId: z.string().optional(),
    maxGap: z.number().int().min(0).default(DEFAULT_MAX_GAP),
  })
  .strict();
export type SeriesModelSpec = z.input<typeof seriesModelSpecSchema>;

/** One series' fitted detector and cutoff. */
export interface SeriesEntry {
  /** The series id, or null for a model of one series. */
  id: string | null;
  detector: SeriesDetector;
  /** Scores above it are anomalies. */
  cutoff: number;
  /** Median spacing of the training timestamps. */
  interval: number;
  /** Training steps. */
  steps: number;
  /** Calibrated scores from the training scores past the warm-up; absent in older files and for short series. */
  calibration?: CalibrationState;
}

export interface ScoredSeries {
  series: TimeSeries;
  scores: SeriesScores;
  /** 1 where the score is above the series' cutoff. */
  anomaly: Uint8Array;
  cutoff: number;
}

const PREFIX = 'series/';

export class SeriesModel {
  private readonly byId: Map<string | null, SeriesEntry>;

  private constructor(
    readonly detectorName: string,
    readonly options: Readonly<Record<string, Json>>,
    readonly threshold: ThresholdSpec,
    readonly timestamp: string,
    readonly channels: readonly string[],
    readonly seriesId: string | null,
    readonly maxGap: number,
    readonly entries: readonly SeriesEntry[],
  ) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  /** Fits one detector per series of the table (one series without a series id). */
  static async fit(table: RawTable, spec: SeriesModelSpec, ctx: FitContext = {}): Promise<SeriesModel> {
    const parsed = seriesModelSpecSchema.safeParse(spec);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new OptionsError(`series model spec ${i.path.join('.')}: ${i.message}`.replace(' :', ':'));
    }
    const s = parsed.data;
    createSeriesDetector(s.detector, s.options);
    const own = getSeriesDetector(s.detector).defaultCutoff;
    const cut: ThresholdSpec = s.threshold ?? thresholdSpecSchema.parse(own === undefined ? { kind: 'pot' } : { kind: 'value', value: own });
    const all = seriesFromTable(table, { timestamp: s.timestamp, values: s.values, seriesId: s.seriesId, maxGap: s.maxGap });
    const timestamp = s.timestamp ?? timestampColumnOf(table.header)!;
    const entries: SeriesEntry[] = [];
    for (const ts of all) {
      const detector = createSeriesDetector(s.detector, s.options);
      const of = ts.id === null ? 'the series' : `series '${ts.id}'`;
      try {
        await detector.fit(ts.series, ctx);
      } catch (e) {
        // Many series go through one fit: say which one was too short or held a bad value.
        throw e instanceof DataError ? new DataError(`${of}: ${e.message}`) : e;
      }
      const scored = await detector.score(ts.series);
      const train = scored.score.subarray(scored.warmup);
      if (!train.length) {
        throw new DataError(`${of} has ${ts.series.rows} steps, all within ${s.detector}'s warm-up of ${scored.warmup}: too short to learn a threshold`);
      }
      const calibration = cut.kind === 'exceedance' || train.length >= CALIBRATION_MIN_SCORES ? fitCalibration(train) : undefined;
      const cutoff = fitThreshold(specForCount(cut, train.length), train, calibration ? { calibration } : {});
      entries.push({ id: ts.id, detector, cutoff, interval: ts.interval, steps: ts.series.rows, ...(calibration ? { calibration } : {}) });
    }
    const d = entries[0]!.detector;
    return new SeriesModel(s.detector, d.options, cut, timestamp, all[0]!.channels, s.seriesId ?? null, s.maxGap, entries);
  }

  /** The entry scoring series `id`; a model of one series scores every id. */
  entry(id: string | null): SeriesEntry {
    if (this.seriesId === null) return this.entries[0]!;
    const e = id === null ? undefined : this.byId.get(id);
    if (!e) {
      const known = this.entries.map((x) => x.id).slice(0, 10).join(', ');
      throw new DataError(`no model for series '${id}' (the model was fitted on ${this.seriesId} = ${known}${this.entries.length > 10 ? ', ...' : ''})`);
    }
    return e;
  }

  /** A fresh, unfitted detector of the model's kind and options (for a refit). */
  createDetector(): SeriesDetector {
    return createSeriesDetector(this.detectorName, this.options);
  }

  /** A table's series, read with the training columns and gap policy. */
  seriesOf(table: RawTable): TimeSeries[] {
    return seriesFromTable(table, { timestamp: this.timestamp, values: [...this.channels], seriesId: this.seriesId ?? undefined, maxGap: this.maxGap });
  }

  /** Scores one series (steps x channels, the training channel order) with its id's detector. */
  async scoreMatrix(id: string | null, series: Matrix): Promise<{ scores: SeriesScores; anomaly: Uint8Array; cutoff: number }> {
    const e = this.entry(id);
    const scores = await e.detector.score(series);
    const anomaly = new Uint8Array(scores.score.length);
    for (let i = 0; i < anomaly.length; i++) anomaly[i] = scores.score[i]! > e.cutoff ? 1 : 0;
    return { scores, anomaly, cutoff: e.cutoff };
  }

  /** Calibrated p-values of scores series `id` got: the chance a normal step scores at least this high. */
  exceedance(id: string | null, scores: ArrayLike<number>): Float64Array {
    const e = this.entry(id);
    if (!e.calibration) throw noCalibration(e.steps);
    return exceedances(e.calibration, scores);
  }

  /** Scores every series of a table. */
  async score(table: RawTable): Promise<ScoredSeries[]> {
    const out: ScoredSeries[] = [];
    for (const series of this.seriesOf(table)) out.push({ series, ...(await this.scoreMatrix(series.id, series.series)) });
    return out;
  }

  toBytes(): Uint8Array {
    const arrays: Record<string, StateArray> = {};
    const series = this.entries.map((e, i) => {
      const state = e.detector.getState();
      for (const [k, a] of Object.entries(state.arrays)) arrays[`${PREFIX}${i}/${k}`] = a;
      return { id: e.id, cutoff: e.cutoff, interval: e.interval, steps: e.steps, params: state.params, ...(e.calibration ? { calibration: e.calibration as unknown as Json } : {}) };
    });
    return encode({
      manifest: {
        format: 'vigil-model',
        kind: 'series',
        vigil: VERSION,
        createdAt: new Date().toISOString(),
        detector: { name: this.detectorName, options: this.options as Json },
        threshold: this.threshold as unknown as Json,
        timestamp: this.timestamp,
        channels: [...this.channels],
        seriesId: this.seriesId,
        maxGap: this.maxGap,
        series,
      },
      arrays,
    });
  }

  static fromBytes(bytes: Uint8Array): SeriesModel {
    return SeriesModel.fromContainer(decode(bytes));
  }

  static fromContainer({ manifest, arrays }: Container): SeriesModel {
    if (manifest['kind'] !== 'series') throw new FormatError('this is a tabular model file, not a series model (fit one with a series detector and --timestamp)');
    const m = savedSchema.safeParse(manifest);
    if (!m.success) {
      const i = m.error.issues[0]!;
      throw new FormatError(`series model file manifest is invalid: ${i.path.join('.')}: ${i.message}`);
    }
    const d = m.data;
    const entries = d.series.map((e, i) => {
      const own: Record<string, StateArray> = {};
      const prefix = `${PREFIX}${i}/`;
      for (const [k, a] of Object.entries(arrays)) if (k.startsWith(prefix)) own[k.slice(prefix.length)] = a;
      const detector = restoreSeriesDetector(d.detector.name, d.detector.options, { params: e.params as Record<string, Json>, arrays: own });
      const calibration = e.calibration === undefined ? undefined : parseCalibration(e.calibration);
      if (e.calibration !== undefined && !calibration) throw new FormatError(`series model file: the calibration of series ${i + 1} is invalid`);
      return { id: e.id, detector, cutoff: e.cutoff, interval: e.interval, steps: e.steps, ...(calibration ? { calibration } : {}) };
    });
    return new SeriesModel(d.detector.name, d.detector.options as Record<string, Json>, d.threshold, d.timestamp, d.channels, d.seriesId, d.maxGap, entries);
  }
}

const savedSchema = z.object({
  format: z.literal('vigil-model'),
  kind: z.literal('series'),
  detector: z.object({ name: z.string(), options: z.record(z.unknown()) }),
  threshold: thresholdSpecSchema,
  timestamp: z.string(),
  channels: z.array(z.string()).min(1),
  seriesId: z.string().nullable(),
  maxGap: z.number().int().min(0),
  series: z
    .array(
      z.object({ id: z.string().nullable(), cutoff: z.number(), interval: z.number(), steps: z.number().int(), params: z.record(z.unknown()), calibration: z.unknown().optional() }),
    )
    .min(1),
});
