import { Command } from 'commander';
import type { Json } from '../../detectors/detector.js';
import { Model } from '../../model/model.js';
import type { SeriesModel } from '../../model/series-model.js';
import { loadModelFile } from '../../persist/file.js';
import { renderColumnReport, renderTraining, warningWithHint } from '../column-report.js';
import { AUTO_RULE_TEXT, describeAuto } from '../fit-report.js';
import { learnedPeriod } from '../series-fit.js';
import { describeThreshold } from '../threshold-flags.js';

interface Opts {
  json?: boolean;
}

/** `vigil inspect model.vigil`: what a model file holds and how it was made. */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description('show what a model file holds: detector and options, columns and their roles, threshold, training summary, vigil version')
    .argument('<model>', 'a model file from `vigil fit`')
    .option('--json', 'print it as JSON')
    .action(async (path: string, o: Opts) => {
      const { model, savedBy, savedAt } = await loadModelFile(path);
      const about = { file: path, vigil: savedBy ?? null, savedAt: savedAt ?? null };
      const info = model instanceof Model ? tabular(model) : series(model);
      if (o.json) {
        process.stdout.write(JSON.stringify({ ...about, ...info.json }, null, 2) + '\n');
        return;
      }
      const head = `${path}: ${info.json['kind']} model, saved by vigil ${savedBy ?? '(unknown version)'}${savedAt ? ` at ${savedAt}` : ''}`;
      process.stdout.write([head, ...info.text].join('\n') + '\n');
    });
}

function options(o: Readonly<Record<string, Json>>): string {
  const parts = Object.entries(o).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : 'defaults';
}

function tabular(m: Model): { json: Record<string, unknown>; text: string[] } {
  const { report, training } = m.record;
  const pre = m.preprocessor.spec;
  const text = [
    `detector: ${m.detector.name} (${options(m.detector.options)})${m.canExplain ? '; explains scores per column' : ''}`,
    `preprocess: scaler ${pre.scaler}, impute ${pre.impute}, at most ${pre.maxLevels} levels per categorical column; ${m.preprocessor.featureNames.length} features`,
  ];
  const { auto } = m.info;
  if (auto) text.push(describeAuto(auto));
  if (report) {
    text.push(...renderColumnReport(report));
    if (report.warnings.length) text.push('warnings:', ...report.warnings.map((w) => `  ${warningWithHint(w)}`));
  } else {
    text.push(`columns (${m.columns.length}, no column report: saved before vigil kept one): ${m.columns.map((c) => `${c.name} (${c.kind})`).join(', ')}`);
  }
  const how = describeThreshold(m.threshold) + (training?.autoRule ? `: ${AUTO_RULE_TEXT[training.autoRule]}` : '');
  text.push(`threshold: ${m.cutoff.toPrecision(6)} (${how})`);
  if (training) text.push(...renderTraining(training));
  const json = {
    kind: 'tabular',
    detector: { name: m.detector.name, options: m.detector.options, explains: m.canExplain },
    ...(auto ? { auto } : {}),
    preprocess: pre,
    features: m.preprocessor.featureNames,
    columns: report?.columns ?? m.columns.map((c) => ({ name: c.name, role: 'feature', kind: c.kind })),
    warnings: report?.warnings ?? [],
    threshold: { spec: m.threshold, cutoff: m.cutoff, ...(training?.autoRule ? { autoRule: training.autoRule } : {}) },
    training: training ?? null,
  };
  return { json, text };
}

function series(m: SeriesModel): { json: Record<string, unknown>; text: string[] } {
  const entries = m.entries.map((e) => {
    const p = learnedPeriod(e);
    return { id: e.id, cutoff: e.cutoff, steps: e.steps, interval: e.interval, ...(p ? { period: p.period, periodFound: p.found } : {}) };
  });
  const text = [
    `detector: ${m.detectorName} (${options(m.options)})`,
    `series: timestamp '${m.timestamp}', channels ${m.channels.join(', ')}${m.seriesId === null ? '' : `, one model per '${m.seriesId}' (${m.entries.length})`}; gaps up to ${m.maxGap} steps filled`,
    `threshold: ${describeThreshold(m.threshold)}`,
    ...entries.slice(0, 20).map(
      (e) => `  ${e.id === null ? '' : `${e.id}: `}cutoff ${e.cutoff.toPrecision(6)} over ${e.steps} steps${e.period !== undefined ? `, period ${e.period} (${e.periodFound ? 'found' : 'given'})` : ''}`,
    ),
  ];
  if (entries.length > 20) text.push(`  ... and ${entries.length - 20} more series`);
  const json = {
    kind: 'series',
    detector: { name: m.detectorName, options: m.options },
    threshold: { spec: m.threshold },
    timestamp: m.timestamp,
    channels: m.channels,
    seriesId: m.seriesId,
    maxGap: m.maxGap,
    series: entries,
  };
  return { json, text };
}
