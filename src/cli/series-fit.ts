/**
 * `vigil fit` with a series detector: the file is read whole into series (timestamp column, value
 * columns, optional series id: one fitted detector per id, all in one model file), and the model's
 * threshold is learned on the training scores: peaks over threshold with risk 1e-4 unless a
 * threshold flag says otherwise.
 */
import { describeAuto } from './fit-report.js';
import { performance } from 'node:perf_hooks';
import { readTable } from '../data/index.js';
import { SeriesModel } from '../model/series-model.js';
import { writeOutputFile } from './output.js';
import { withFlagNames } from './series-errors.js';
import { parseSetPairs } from './set-options.js';
import { findSeriesDetector } from '../detectors/series/registry.js';
import { splitList } from './input.js';
import { progress } from './progress.js';
import { describeThreshold, hasThresholdFlag, thresholdFromFlags, type ThresholdFlags } from './threshold-flags.js';
import { wholeFlag } from './number-flags.js';
import type { SeriesEntry } from '../model/series-model.js';

export interface SeriesFitFlags extends ThresholdFlags {
  data: string;
  detector: string;
  out: string;
  set: string[];
  delimiter?: string;
  timestamp?: string;
  seriesId?: string;
  columns?: string;
  maxGap?: string;
}

export async function fitSeries(o: SeriesFitFlags): Promise<void> {
  const options = parseSetPairs(o.set, findSeriesDetector(o.detector)?.schema);
  const threshold = hasThresholdFlag(o) ? thresholdFromFlags(o) : undefined;
  const maxGap = wholeFlag(o.maxGap, '--max-gap');
  const t0 = performance.now();
  const table = await readTable(o.data, { delimiter: o.delimiter });
  const bar = progress(100, `fit ${o.detector}`);
  const model = await withFlagNames(() => SeriesModel.fit(
    table,
    { detector: o.detector, options, threshold, timestamp: o.timestamp, seriesId: o.seriesId, values: o.columns === undefined ? undefined : splitList(o.columns), maxGap },
    { onProgress: (p) => bar.update(Math.round(p.fraction * 100), p.message ?? '') },
  ));
  bar.stop();
  await writeOutputFile(o.out, model.toBytes());
  const secs = (performance.now() - t0) / 1000;
  const steps = model.entries.reduce((n, e) => n + e.steps, 0);
  const of = model.seriesId === null ? '' : ` (${model.entries.length} series by '${model.seriesId}')`;
  const lines = [
    `fitted ${o.detector} on ${steps} steps x ${model.channels.length} channels (${model.channels.join(', ')})${of} in ${secs.toFixed(2)}s`,
    `threshold: ${describeThreshold(model.threshold)}`,
  ];
  const auto = model.entries[0]?.detector.choice?.();
  if (auto) lines.splice(1, 0, describeAuto(auto));
  for (const e of model.entries.slice(0, 20)) lines.push(`  ${e.id === null ? 'cutoff' : `${e.id}: cutoff`} ${e.cutoff.toPrecision(6)} over ${e.steps} steps${periodNote(e)}`);
  if (model.entries.length > 20) lines.push(`  ... and ${model.entries.length - 20} more series`);
  lines.push(`saved ${o.out}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * The season length a detector works with (seasonal's period), and whether it was given or found:
 * a wrong automatic period is the one choice that silently ruins a seasonal fit.
 */
export function learnedPeriod(e: SeriesEntry): { period: number; found: boolean } | undefined {
  if (e.detector.name !== 'seasonal') return undefined;
  const period = e.detector.getState().params['period'];
  if (typeof period !== 'number') return undefined;
  return { period, found: e.detector.options['period'] === undefined };
}

function periodNote(e: SeriesEntry): string {
  const p = learnedPeriod(e);
  if (!p) return '';
  if (p.found && p.period === 1) return ', no season found by autocorrelation (period 1: a global robust z-score)';
  return `, period ${p.period} steps (${p.found ? 'found by autocorrelation' : 'given'})`;
}

