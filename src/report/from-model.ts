/**
 * A report of a fitted model on a frame: scores it, splits off the labels, explains the top rows
 * (tabular models whose detector can; series models by their per-channel scores) and hands it all
 * to buildReport.
 */
import { DataError } from '../core/errors.js';
import { columnByName, selectFrameRows, type Frame } from '../data/frame.js';
import { splitLabel } from '../data/labels.js';
import { seriesFromFrame } from '../data/series.js';
import { columnIndex } from '../data/columns.js';
import { Model } from '../model/model.js';
import type { SeriesModel } from '../model/series-model.js';
import { frameDays } from '../model/calibrate.js';
import { buildReport, type Comparison, type ModelSummary, type ReportData } from './report.js';

export interface ReportOptions {
  /** The 0/1 label column of the frame (1 = anomaly). */
  label?: string;
  /** A column naming each row in the top table. */
  id?: string;
  /** Rows in the top-anomalies table; default 20. */
  top?: number;
  costFn?: number;
  costFp?: number;
  /** Alerts per day: the cut meeting it on these rows. */
  budget?: number;
  rowsPerDay?: number;
  /** Series models keyed by an id: the series to report on; default the first in the frame. */
  series?: string;
  title?: string;
  comparisons?: Comparison[];
}

/** What `model` is and how its threshold was chosen. */
export function modelSummary(model: Model | SeriesModel): ModelSummary {
  if (!(model instanceof Model)) {
    return {
      kind: 'series',
      detector: model.detectorName,
      options: model.options,
      threshold: { cutoff: model.entries[0]!.cutoff, spec: model.threshold },
      series: { timestamp: model.timestamp, channels: [...model.channels], seriesId: model.seriesId, id: null, ids: model.entries.length },
    };
  }
  const { report, training, choice } = model.record;
  const out: ModelSummary = {
    kind: 'tabular',
    detector: model.detector.name,
    options: model.detector.options,
    threshold: {
      cutoff: model.cutoff,
      spec: model.threshold,
      ...(training?.autoRule ? { autoRule: training.autoRule } : {}),
      ...(choice ? { choice } : {}),
    },
    features: model.preprocessor.featureNames.length,
    explains: model.canExplain,
  };
  if (report) {
    out.columns = report.columns;
    out.warnings = report.warnings;
  }
  if (training) out.training = training;
  // `detector: 'auto'` models say what they chose in `info.auto`; older models have no `info`.
  const auto = (model as { info?: { auto?: ModelSummary['auto'] } }).info?.auto;
  if (auto) out.auto = auto;
  return out;
}

/** The costs to price the threshold with: the options', else the model's own cost threshold's. */
function costsOf(model: Model | SeriesModel, o: ReportOptions): { costFn?: number; costFp?: number } {
  if (o.costFn !== undefined || o.costFp !== undefined) return { costFn: o.costFn, costFp: o.costFp };
  const t = model.threshold;
  return t.kind === 'cost' ? { costFn: t.fn, costFp: t.fp } : {};
}

export async function reportFromModel(model: Model | SeriesModel, frame: Frame, opts: ReportOptions = {}): Promise<ReportData> {
  return model instanceof Model ? tabularReport(model, frame, opts) : seriesReport(model, frame, opts);
}

async function tabularReport(model: Model, frame: Frame, o: ReportOptions): Promise<ReportData> {
  const split = o.label === undefined ? { frame, labels: undefined } : splitLabel(frame, o.label);
  const data = split.frame;
  if (!data.rows) throw new DataError('no rows to report on');
  const scores = await model.score(data);
  const top = o.top ?? 20;
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, top);
  const explanation = order.length ? await model.explain(selectFrameRows(data, order)) : undefined;
  const ids = o.id === undefined ? undefined : idColumn(data, o.id);
  const shown = model.columns.map((c) => columnByName(data, c.name)!);
  return buildReport({
    title: o.title ?? `${model.detector.name} report`,
    modelSummary: modelSummary(model),
    scores,
    threshold: model.cutoff,
    ...(split.labels ? { labels: split.labels } : {}),
    ...(explanation ? { explanations: { ...explanation, rows: order } } : {}),
    ...(ids ? { rowIds: ids } : {}),
    rowValues: (i) => Object.fromEntries(shown.map((c) => [c.name, c.kind === 'categorical' ? c.values[i]! : finiteOrNull(c.values[i]!)])),
    ...costsOf(model, o),
    ...(o.budget !== undefined ? { budget: o.budget } : {}),
    ...(o.rowsPerDay !== undefined ? { rowsPerDay: o.rowsPerDay } : { days: frameDays(data, undefined) }),
    top,
    ...(o.comparisons ? { comparisons: o.comparisons } : {}),
  });
}

async function seriesReport(model: SeriesModel, frame: Frame, o: ReportOptions): Promise<ReportData> {
  const labels = o.label === undefined ? undefined : splitLabel(frame, o.label).labels;
  const all = seriesFromFrame(frame, { timestamp: model.timestamp, values: [...model.channels], seriesId: model.seriesId ?? undefined, maxGap: model.maxGap });
  const ts = o.series === undefined ? all[0]! : all.find((s) => s.id === o.series);
  if (!ts) throw new DataError(`no series '${o.series}' in the data (have: ${all.map((s) => s.id).slice(0, 10).join(', ')})`);
  const { scores, cutoff } = await model.scoreMatrix(ts.id, ts.series);
  const d = ts.series.cols;
  const channel = (j: number): Float64Array => Float64Array.from({ length: ts.series.rows }, (_, i) => ts.series.data[i * d + j]!);
  const summary = modelSummary(model);
  summary.threshold.cutoff = cutoff;
  summary.series = { ...summary.series!, id: ts.id };
  const ids = o.id === undefined ? undefined : idColumn(frame, o.id);
  const dates = columnByName(frame, model.timestamp)?.kind === 'timestamp';
  const rowsPerDay = o.rowsPerDay;
  const span = ts.timestamps.length > 1 ? ts.timestamps[ts.timestamps.length - 1]! - ts.timestamps[0]! : 0;
  const days = rowsPerDay === undefined && dates && span > 0 ? (span / 86_400_000) * ((ts.series.rows - scores.warmup) / ts.series.rows) : undefined;
  return buildReport({
    title: o.title ?? `${model.detectorName} report`,
    modelSummary: summary,
    scores: scores.score,
    threshold: cutoff,
    // A step filled into a gap has no row, so no label: it counts as normal.
    ...(labels ? { labels: Uint8Array.from(ts.rows, (r) => (r > 0 ? labels[r - 1]! : 0)) } : {}),
    ...(d > 1 ? { explanations: { columns: [...model.channels], values: scores.channels } } : {}),
    ...(ids ? { rowIds: Array.from(ts.rows, (r) => (r > 0 ? ids[r - 1]! : '(filled)')) } : {}),
    series: {
      t: ts.timestamps,
      value: channel(0),
      name: model.channels[0]!,
      more: model.channels.slice(1).map((name, k) => ({ name, values: channel(k + 1) })),
      dates,
      warmup: scores.warmup,
    },
    ...costsOf(model, o),
    ...(o.budget !== undefined ? { budget: o.budget } : {}),
    ...(rowsPerDay !== undefined ? { rowsPerDay } : days !== undefined ? { days } : {}),
    top: o.top ?? 20,
    ...(o.comparisons ? { comparisons: o.comparisons } : {}),
  });
}

function idColumn(frame: Frame, name: string): string[] {
  const c = frame.columns[columnIndex(frame.columns.map((x) => x.name), name)]!;
  return Array.from({ length: frame.rows }, (_, i) => String(c.values[i] ?? ''));
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
