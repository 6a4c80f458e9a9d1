import { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { Model } from '../../model/model.js';
import { tune } from '../../evaluate/tune/tune.js';
import type { TuneMetric } from '../../evaluate/tune/cross-validate.js';
import type { Scaler } from '../../preprocess/index.js';
import { loadTraining } from '../input.js';
import { progress } from '../progress.js';
import { renderTable } from '../table.js';
import { UsageError } from '../usage-error.js';
import { writeJsonFile, writeOutputFile } from '../output.js';
import { optionWithDefault } from '../conventions.js';

interface Opts {
  data: string;
  detector: string;
  label?: string;
  ignore?: string;
  categorical?: string;
  delimiter?: string;
  search: string;
  trials: string;
  folds: string;
  metric: string;
  seed: string;
  workers: string;
  scaler: string;
  dropConstant?: boolean;
  out?: string;
  /** true: print the report as JSON; a file name: the older spelling of --json-out. */
  json?: string | true;
  jsonOut?: string;
}

export function tuneCommand(): Command {
  return new Command('tune')
    .description('cross-validated search over a detector\'s settings; writes the best as a ready model')
    .requiredOption('--data <file>', 'training data (CSV, JSON, NDJSON)')
    .requiredOption('--detector <name>', 'detector to tune')
    .option('--label <column>', '0/1 labels: stratified folds scored by --metric; without it, the synthetic-outlier criterion')
    .option('--ignore <a,b>', 'columns to leave out')
    .option('--categorical <a,b>', 'columns to treat as categorical')
    .addOption(optionWithDefault('--delimiter <char>', 'CSV delimiter', 'detected from the header'))
    .option('--search <kind>', 'grid | random', 'random')
    .option('--trials <n>', 'settings to try with random search', '10')
    .option('--folds <k>', 'cross-validation folds', '5')
    .option('--metric <m>', 'roc | pr | f1 (with --label)', 'roc')
    .option('--seed <n>', 'seed for folds and sampling', '0')
    .option('--workers <n>', 'worker threads', String(Math.min(2, availableParallelism())))
    .option('--scaler <kind>', 'standard | robust | minmax | none', 'standard')
    .option('--drop-constant', 'drop constant columns instead of failing on them')
    .option('--out <file>', 'fit the best setting on all the data and save it here')
    .option('--json [file]', 'print the report as JSON instead of the table (with a file name: the same as --json-out)')
    .option('--json-out <file>', 'write the report as JSON to this file')
    .action(async (o: Opts) => {
      const search = oneOf(o.search, ['grid', 'random'] as const, '--search');
      const metric = oneOf(o.metric, ['roc', 'pr', 'f1'] as const, '--metric') as TuneMetric;
      const trials = positiveInt(o.trials, '--trials');
      const folds = positiveInt(o.folds, '--folds');
      const workers = positiveInt(o.workers, '--workers');
      const seed = positiveInt(o.seed, '--seed', 0);
      const train = await loadTraining(o.data, o);
      const preprocess = { scaler: o.scaler as Scaler };
      let bar: ReturnType<typeof progress> | undefined;
      const report = await tune(train.frame, train.labels, {
        detector: o.detector,
        search,
        trials,
        folds,
        metric,
        seed,
        workers,
        preprocess,
        onProgress: (done, total) => {
          bar ??= progress(total, 'tune');
          bar.update(done, 'settings');
        },
      });
      bar?.stop();
      const toStdout = o.json === true;
      const rows = report.rows.map((r) => [JSON.stringify(r.options), r.mean.toFixed(4), r.std.toFixed(4), r.folds.map((v) => v.toFixed(3)).join(' ')]);
      if (toStdout) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else {
        process.stdout.write(`${report.detector}: ${report.criterion} over ${report.folds} folds, best first\n`);
        process.stdout.write(renderTable(['settings', 'mean', 'std', 'per fold'], rows) + '\n');
      }
      for (const [file, flag] of jsonFiles(o)) await writeJsonFile(file, report, flag);
      if (o.out) {
        const model = await Model.fit(train.frame, { detector: o.detector, options: report.best, preprocess }, { labels: train.labels });
        await writeOutputFile(o.out, model.toBytes());
        // With --json on standard output, stdout holds the JSON alone.
        (toStdout ? process.stderr : process.stdout).write(`saved the best (${JSON.stringify(report.best)}) fitted on all ${train.frame.rows} rows to ${o.out}\n`);
      }
    });
}

/** The files the JSON report goes to: --json-out, and --json given a file name. */
function jsonFiles(o: Opts): [string, string][] {
  const files: [string, string][] = [];
  if (typeof o.json === 'string') files.push([o.json, '--json']);
  if (o.jsonOut !== undefined && o.jsonOut !== o.json) files.push([o.jsonOut, '--json-out']);
  return files;
}

function oneOf<T extends string>(v: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

function positiveInt(v: string, flag: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer of ${min} or more, got '${v}'`);
  return n;
}
