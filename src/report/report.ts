/**
 * The data of a report (`vigil report`, the kits): everything a page shows about a model on one
 * set of rows, computed here from scores, the threshold and optional labels, explanations and
 * series, as plain JSON. Drawing it is a surface's job (src/cli/report/html.ts); nothing here
 * reads a file or knows about HTML.
 */
import type { Matrix } from '../core/matrix.js';
import { DataError, OptionsError } from '../core/errors.js';
import { checkBinaryLabels, confusion, prf, type Confusion } from '../evaluate/metrics.js';
import type { Json } from '../detectors/detector.js';
import type { ColumnEntry, ColumnWarning } from '../model/column-report.js';
import type { TrainingSummary } from '../model/training-summary.js';
import type { ThresholdChoice } from '../model/calibrate.js';
import { budgetCutoff, costCutoff, cutStats, type AutoRule, type CutStats, type ThresholdSpec } from '../threshold/index.js';
import { downsample, type SamplePoint } from '../data/downsample.js';
import { VERSION } from '../version.js';
import { prCurve, rocCurve, scoreHistogram, type Curve, type Histogram } from './curves.js';

/** What the model is and how its threshold was chosen, as the report's first section shows it. */
export interface ModelSummary {
  kind: 'tabular' | 'series';
  detector: string;
  options: Readonly<Record<string, Json>>;
  threshold: {
    cutoff: number;
    spec?: ThresholdSpec;
    autoRule?: AutoRule;
    /** How it was chosen, in words, where the spec alone does not say it (a kit's own rule). */
    how?: string;
    /** What it did where it was chosen (saved with the model). */
    choice?: ThresholdChoice;
  };
  /** The column report: every input column's role. */
  columns?: ColumnEntry[];
  warnings?: ColumnWarning[];
  features?: number;
  training?: TrainingSummary;
  explains?: boolean;
  /** `detector: 'auto'`: what it chose and why (the model's `info.auto`). */
  auto?: { method: string; chosen: string; reason: string; candidates?: Json };
  /** Series models: the timestamp, the channels, and which series the report is about. */
  series?: { timestamp: string; channels: string[]; seriesId: string | null; id: string | null; ids: number };
}

/** One approach's figures, for a table comparing approaches (a kit's). */
export interface Comparison {
  name: string;
  pr_auc: number | null;
  roc_auc: number | null;
  precision: number | null;
  recall: number | null;
  alerts_per_day: number | null;
}

export interface SeriesInput {
  /** One time per step (epoch milliseconds when `dates`), one step per score. */
  t: ArrayLike<number>;
  /** The first channel's values. */
  value: ArrayLike<number>;
  /** The first channel's name. */
  name?: string;
  /** Further channels, drawn with the first. */
  more?: { name: string; values: ArrayLike<number> }[];
  /** Whether `t` is epoch milliseconds (a date axis) rather than plain numbers. */
  dates?: boolean;
  /** Steps at the start without a score (a detector's warm-up): drawn, left out of the figures. */
  warmup?: number;
}

export interface ReportInput {
  title: string;
  modelSummary: ModelSummary;
  scores: ArrayLike<number>;
  /** Scores above it are alerts. */
  threshold: number;
  /** 1 = anomaly, 0 = normal, one per score. */
  labels?: ArrayLike<number>;
  /** Per-feature contributions: `values` has a row per entry of `rows` (indices into scores; default every row). */
  explanations?: { columns: string[]; values: Matrix; rows?: ArrayLike<number> };
  /** What names a row in the top table (an id column); default its row number. */
  rowIds?: readonly string[];
  /** A row's input values, shown beside its explanation. */
  rowValues?: (row: number) => Record<string, string | number | null>;
  series?: SeriesInput;
  /** Costs of a missed anomaly and of a false alarm: the cost at the threshold, and the least-cost cut on these rows. */
  costFn?: number;
  costFp?: number;
  /** An alert budget per day: the cut that meets it on these rows. */
  budget?: number;
  /** How many rows make a day, when no time says it. */
  rowsPerDay?: number;
  /** The days the rows cover, when known from their timestamps. */
  days?: number;
  /** Rows in the top-anomalies table; default 20. */
  top?: number;
  comparisons?: Comparison[];
}

export interface TopRow {
  rank: number;
  /** 1-based row number (series: step number). */
  row: number;
  id?: string;
  /** Series: the step's time. */
  t?: number;
  score: number;
  label?: number;
  /** Largest contributions first, by size. */
  contributions?: { column: string; value: number }[];
  values?: Record<string, string | number | null>;
}

export interface SeriesChart {
  name: string;
  channels: string[];
  t: number[];
  /** Per channel, one value per point. */
  values: number[][];
  /** Null before the warm-up ends. */
  score: (number | null)[];
  anomaly: number[];
  /** With labels: 1 at a labelled anomaly (kept through downsampling like an alert). */
  label?: number[];
  dates: boolean;
  /** Steps before downsampling; the chart has fewer points when the series was longer than the page's columns. */
  steps: number;
}

export interface ReportData {
  title: string;
  vigil: string;
  model: ModelSummary;
  /** Rows the figures are on (a series: steps past the warm-up). */
  rows: number;
  threshold: number;
  alerts: number;
  labelled: boolean;
  histogram: Histogram;
  roc?: Curve;
  pr?: Curve;
  /** At the threshold: alerts (per day), and with labels recall, precision, cost. */
  atThreshold: CutStats & { confusion?: Confusion; f1?: number; fpr?: number };
  costs?: { fn: number; fp: number };
  /** With labels and costs: the cut of least cost on these very rows, for comparison. */
  leastCost?: CutStats;
  /** With a budget: the cut that meets it on these rows. */
  budget?: { perDay: number } & CutStats;
  days?: number;
  top: TopRow[];
  series?: SeriesChart;
  comparisons?: Comparison[];
}

/** Most points a series chart carries: a few per pixel column of a wide screen. */
export const SERIES_COLUMNS = 2000;

export function buildReport(input: ReportInput): ReportData {
  const n = input.scores.length;
  if (!n) throw new DataError('no rows to report on');
  for (let i = 0; i < n; i++) if (Number.isNaN(input.scores[i]!)) throw new DataError(`score ${i + 1} is NaN; a report needs numbers`);
  if (input.labels && input.labels.length !== n) throw new DataError(`${input.labels.length} labels for ${n} scores`);
  if (input.series && input.series.t.length !== n) throw new DataError(`a series of ${input.series.t.length} steps for ${n} scores; give one score per step`);
  if ((input.costFn === undefined) !== (input.costFp === undefined)) throw new OptionsError('give both costs, of a missed anomaly and of a false alarm');
  const from = Math.min(n, input.series?.warmup ?? 0);
  const scores = Float64Array.from({ length: n - from }, (_, i) => input.scores[from + i]!);
  if (!scores.length) throw new DataError(`all ${n} steps are within the warm-up; nothing to report on`);
  const labels = input.labels ? checkBinaryLabels(Array.from({ length: n - from }, (_, i) => input.labels![from + i]), 'report labels') : undefined;
  const days = input.days ?? (input.rowsPerDay ? scores.length / input.rowsPerDay : undefined);
  const costs = input.costFn !== undefined ? { fn: input.costFn, fp: input.costFp! } : undefined;
  const stats = cutStats(scores, input.threshold, { labels, days, costs });
  const out: ReportData = {
    title: input.title,
    vigil: VERSION,
    model: input.modelSummary,
    rows: scores.length,
    threshold: input.threshold,
    alerts: stats.alerts,
    labelled: labels !== undefined,
    histogram: scoreHistogram(scores, input.threshold, labels),
    atThreshold: stats,
    top: topRows(input, from),
  };
  if (days !== undefined) out.days = days;
  if (labels) {
    const predicted = Uint8Array.from(scores, (s) => (s > input.threshold ? 1 : 0));
    const c = confusion(labels, predicted);
    out.atThreshold = { ...stats, confusion: c, f1: prf(c).f1, ...(c.fp + c.tn ? { fpr: c.fp / (c.fp + c.tn) } : {}) };
    const roc = rocCurve(labels, scores);
    const pr = prCurve(labels, scores);
    if (roc) out.roc = roc;
    if (pr) out.pr = pr;
    if (costs) out.leastCost = cutStats(scores, costCutoff(scores, labels, costs), { labels, days, costs });
  }
  if (costs) out.costs = costs;
  if (input.budget !== undefined) {
    if (days === undefined) throw new DataError('an alert budget needs the time span of the rows: a timestamp column, or the rows per day');
    out.budget = { perDay: input.budget, ...cutStats(scores, budgetCutoff(scores, input.budget, days), { labels, days, costs }) };
  }
  if (input.series) out.series = seriesChart(input.series, input.scores, input.threshold, input.labels);
  if (input.comparisons) out.comparisons = input.comparisons;
  return out;
}

/** The highest scores (past any warm-up), with their explanations and values where given. */
function topRows(input: ReportInput, from: number): TopRow[] {
  const k = input.top ?? 20;
  if (!(Number.isInteger(k) && k >= 0)) throw new OptionsError(`top must be a whole number >= 0, got ${k}`);
  const order = Array.from({ length: input.scores.length - from }, (_, i) => from + i).sort((a, b) => input.scores[b]! - input.scores[a]! || a - b);
  const explained = new Map<number, number>();
  const e = input.explanations;
  if (e) {
    if (e.values.cols !== e.columns.length) throw new DataError(`explanations have ${e.values.cols} values a row for ${e.columns.length} columns`);
    const rows = e.rows ?? Array.from({ length: e.values.rows }, (_, i) => i);
    if (rows.length !== e.values.rows) throw new DataError(`explanations have ${e.values.rows} rows for ${rows.length} row indices`);
    for (let r = 0; r < rows.length; r++) explained.set(rows[r]!, r);
  }
  return order.slice(0, k).map((i, rank) => {
    const row: TopRow = { rank: rank + 1, row: i + 1, score: input.scores[i]! };
    if (input.rowIds?.[i] !== undefined) row.id = input.rowIds[i];
    if (input.series) row.t = input.series.t[i]!;
    if (input.labels) row.label = input.labels[i]! ? 1 : 0;
    const r = explained.get(i);
    if (e && r !== undefined) {
      const c = e.values.cols;
      row.contributions = e.columns.map((column, j) => ({ column, value: e.values.data[r * c + j]! })).sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    }
    if (input.rowValues) row.values = input.rowValues(i);
    return row;
  });
}

/** The series, its scores and anomalies, downsampled per pixel column with every anomaly kept. */
function seriesChart(s: SeriesInput, scores: ArrayLike<number>, threshold: number, labels?: ArrayLike<number>): SeriesChart {
  const channels = [s.name ?? 'value', ...(s.more ?? []).map((m) => m.name)];
  const columns = [s.value, ...(s.more ?? []).map((m) => m.values)];
  const warmup = s.warmup ?? 0;
  const points: SamplePoint[] = Array.from({ length: s.t.length }, (_, i) => ({
    t: s.t[i]!,
    values: Object.fromEntries(channels.map((c, j) => [c, columns[j]![i]!])),
    score: i < warmup ? null : scores[i]!,
    // A labelled anomaly is kept out of the folding too, so the chart can mark what was missed.
    anomaly: (i >= warmup && scores[i]! > threshold) || Boolean(labels?.[i]),
    threshold,
  }));
  const labelled = new Set(labels ? points.filter((_, i) => labels[i]).map((p) => p.t) : []);
  const rows = points.length > SERIES_COLUMNS ? downsample(points, points[0]!.t, points.at(-1)!.t, SERIES_COLUMNS / 2) : points;
  const alert = (r: { anomaly: boolean | null; score: number | null }): boolean => r.anomaly === true && r.score !== null && r.score > threshold;
  return {
    name: channels.join(', '),
    channels,
    t: rows.map((r) => r.t),
    values: channels.map((c) => rows.map((r) => r.values[c]!)),
    score: rows.map((r) => r.score),
    anomaly: rows.map((r) => (alert(r) ? 1 : 0)),
    ...(labels ? { label: rows.map((r) => (r.anomaly && labelled.has(r.t) ? 1 : 0)) } : {}),
    dates: s.dates === true,
    steps: s.t.length,
  };
}
