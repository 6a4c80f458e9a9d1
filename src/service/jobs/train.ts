/**
 * One training job's work, as the worker thread runs it: read the data file, fit a tabular
 * model or a series model through the library, save the model file, and measure it (training
 * rows, fit time, score quantiles, and ROC/PR-AUC when a label column was given).
 */
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DataError, OptionsError } from '../../core/errors.js';
import { inferSchema, labelsFromColumn, readTable, selectColumns, toFrame } from '../../data/index.js';
import { getDetector } from '../../detectors/registry.js';
import { findSeriesDetector } from '../../detectors/series/registry.js';
import type { FitProgress } from '../../detectors/detector.js';
import { prCurve, rocCurve, scoreHistogram } from '../../evaluate/curves.js';
import { averagePrecision, rocAuc } from '../../evaluate/metrics.js';
import { Model } from '../../model/model.js';
import { SeriesModel } from '../../model/series-model.js';
import { saveModel } from '../../persist/file.js';
import type { ThresholdSpec } from '../../threshold/index.js';
import type { EntityFeaturesSpec } from '../../preprocess/entity/index.js';

export interface TrainInput {
  dataPath: string;
  format: 'csv' | 'ndjson';
  detector: string;
  options: Record<string, unknown>;
  threshold?: ThresholdSpec;
  /** A 0/1 column kept out of the features: read by semi-supervised detectors, and for ROC/PR-AUC. */
  label?: string;
  /** Series detectors: the timestamp and series id columns. */
  timestamp?: string;
  seriesId?: string;
  /** Tabular detectors: per-entity features (the model carries their state to the streams it scores). */
  entity?: EntityFeaturesSpec;
  outPath: string;
}

export interface TrainResult {
  kind: 'tabular' | 'series';
  columns: string[];
  cutoff: number | null;
  threshold: ThresholdSpec | null;
  options: Record<string, unknown>;
  bytes: number;
  metrics: Record<string, unknown>;
}

export interface TrainHooks {
  onProgress(p: FitProgress): void;
  signal: AbortSignal;
}

/** Quantiles of the training scores: how the score scale looks, for choosing a threshold by eye. */
function quantiles(scores: ArrayLike<number>): Record<string, number> {
  const s = Float64Array.from(scores).sort();
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
  return { min: s[0]!, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! };
}

export async function train(input: TrainInput, hooks: TrainHooks): Promise<TrainResult> {
  const table = await readTable(input.dataPath, { format: input.format === 'ndjson' ? 'json' : 'csv' });
  if (!table.rows.length) throw new DataError('the training data has no rows');
  const t0 = performance.now();
  if (findSeriesDetector(input.detector)) {
    if (input.label) throw new OptionsError(`label is for tabular detectors; '${input.detector}' is a series detector`);
    const model = await SeriesModel.fit(
      table,
      { detector: input.detector, options: input.options, threshold: input.threshold, timestamp: input.timestamp, seriesId: input.seriesId },
      { onProgress: hooks.onProgress, signal: hooks.signal },
    );
    const fitSeconds = (performance.now() - t0) / 1000;
    await saveModel(model, input.outPath);
    const scored = await model.score(table);
    const all = scored.flatMap((s) => Array.from(s.scores.score.subarray(s.scores.warmup)));
    const flagged = scored.reduce((n, s) => n + s.anomaly.reduce((a, b) => a + b, 0), 0);
    return {
      kind: 'series',
      columns: [...model.channels],
      cutoff: model.entries.length === 1 ? model.entries[0]!.cutoff : null,
      threshold: model.threshold,
      options: model.options as Record<string, unknown>,
      bytes: statSync(input.outPath).size,
      metrics: { trainingRows: table.rows.length, series: model.entries.length, fitSeconds, flagged, scoreQuantiles: all.length ? quantiles(all) : null, curves: { histogram: scoreHistogram(all) } },
    };
  }
  const def = getDetector(input.detector);
  if (!input.label && !def.modes.includes('unsupervised')) throw new OptionsError(`${def.name} is ${def.modes[0]} and learns from labels: give a label column`);
  const features = selectColumns(table.header, { exclude: input.label ? [input.label] : [] }, 'the training data');
  if (!features.length) throw new DataError('the training data has no feature columns besides the label');
  const labels = input.label ? labelsFromColumn(table, input.label) : undefined;
  const at = features.map((name) => table.header.indexOf(name));
  const rows = table.rows.map((r) => at.map((j) => r[j] ?? null));
  const frame = toFrame(inferSchema(features, rows, { source: 'the training data' }), rows, 1, 'the training data');
  const model = await Model.fit(frame, { detector: input.detector, options: input.options, threshold: input.threshold, ...(input.entity ? { entity: input.entity } : {}) }, { labels, onProgress: hooks.onProgress, signal: hooks.signal });
  const fitSeconds = (performance.now() - t0) / 1000;
  await saveModel(model, input.outPath);
  // The training rows as the fit saw them (an entity model's state is past them).
  const scores = await model.scoreAsTrained(frame);
  const metrics: Record<string, unknown> = {
    trainingRows: frame.rows,
    features: model.preprocessor.featureNames.length,
    fitSeconds,
    flagged: scores.reduce((n, s) => n + (s > model.cutoff ? 1 : 0), 0),
    scoreQuantiles: quantiles(scores),
    curves: { histogram: scoreHistogram(scores) },
  };
  if (labels) {
    const positives = labels.reduce((a, b) => a + b, 0);
    if (positives > 0 && positives < labels.length) {
      metrics['rocAuc'] = rocAuc(labels, scores);
      metrics['prAuc'] = averagePrecision(labels, scores);
      metrics['curves'] = { histogram: scoreHistogram(scores), roc: rocCurve(labels, scores), pr: prCurve(labels, scores) };
    }
  }
  return {
    kind: 'tabular',
    columns: model.columns.map((c) => c.name),
    cutoff: model.cutoff,
    threshold: model.threshold,
    options: model.detector.options as Record<string, unknown>,
    bytes: statSync(input.outPath).size,
    metrics,
  };
}
