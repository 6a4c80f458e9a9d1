import { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { Model } from '../../model/model.js';
import type { Scaler } from '../../preprocess/index.js';
import { OptionsError } from '../../core/errors.js';
import { detectorNames, getDetector, listDetectors } from '../../detectors/registry.js';
import { findSeriesDetector, seriesDetectorNames } from '../../detectors/series/registry.js';
import { fitSeries } from '../series-fit.js';
import { UsageError } from '../usage-error.js';
import { parseSetPairs } from '../set-options.js';
import { loadTraining } from '../input.js';
import { IMAGE_FLAGS, isImageInput, type ImageFlags } from '../image-input.js';
import { imageOptions } from '../../bench/images.js';
import { describeChoice, positiveFlag, THRESHOLD_FLAGS, thresholdFromFlags } from '../threshold-flags.js';
import { progress } from '../progress.js';
import { optionWithDefault } from '../conventions.js';
import { writeOutputFile } from '../output.js';
import { LABEL_MEANING } from '../../detectors/detector.js';
import { printFitReport, setAsideColumns, trainingFlags } from '../fit-report.js';
import { entityColumns, entityFromFlags, entityOptions, type EntityFlags } from '../entity-flags.js';
import { splitList } from '../input.js';

interface Opts extends ImageFlags, EntityFlags {
  data: string;
  detector: string;
  label?: string;
  ignore?: string;
  categorical?: string;
  delimiter?: string;
  contamination?: string;
  threshold?: string;
  risk?: string;
  alertRate?: string;
  costFn?: string;
  costFp?: string;
  budget?: string;
  rowsPerDay?: string;
  validation?: string;
  calibrationHoldout?: string;
  scaler?: string;
  set: string[];
  dropConstant?: boolean;
  out: string;
  timestamp?: string;
  seriesId?: string;
  columns?: string;
  maxGap?: string;
  id?: string;
}

const TABULAR_ONLY = ['label', 'ignore', 'categorical', 'scaler', 'dropConstant', 'id', 'validation', 'calibrationHoldout', 'rowsPerDay', 'entity', 'time', 'window'] as const;
const SERIES_ONLY = ['timestamp', 'seriesId', 'columns', 'maxGap'] as const;
const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function fitCommand(): Command {
  const cmd = new Command('fit')
    .description('fit a detector on a data file and save the model')
    .requiredOption('--data <file>', 'training data: CSV (.gz ok), JSON array or NDJSON; or images: a folder of PNG/JPEG (or class subfolders of them), one image, an IDX file')
    .requiredOption('--detector <name>', 'detector name (see `vigil detectors`); a series detector fits a series model')
    .requiredOption('--out <file>', 'where to write the model file')
    .option('--label <column>', '0/1 label column, kept out of the features; semi-supervised detectors read 1 = known anomaly, 0 = unlabeled; supervised ones 1 = anomaly, 0 = normal')
    .option('--ignore <a,b>', 'columns to leave out (ids, free text)')
    .option('--id <column>', 'an id column: left out of the features, named as the id in the column report')
    .option('--categorical <a,b>', 'columns to treat as categorical even if they look numeric')
    .addOption(optionWithDefault('--delimiter <char>', 'CSV delimiter', 'detected from the header'))
    .addOption(optionWithDefault('--contamination <rate|auto>', 'expected share of anomalies, sets the threshold', '0.1; series detectors: --risk 1e-4'))
    .option('--threshold <value>', 'an explicit score threshold instead of --contamination')
    .option('--risk <q>', 'extreme-value threshold (peaks over threshold) with false-alarm risk q, e.g. 1e-4')
    .option(...THRESHOLD_FLAGS.alertRate)
    .option(...THRESHOLD_FLAGS.costFn)
    .option(...THRESHOLD_FLAGS.costFp)
    .option(...THRESHOLD_FLAGS.budget)
    .option(...THRESHOLD_FLAGS.rowsPerDay)
    .addOption(optionWithDefault('--validation <file>', 'labelled rows (same columns, with --label) to choose the threshold on', 'for --cost-fn, 20% of the training rows held back'))
    .option('--calibration-holdout <share>', 'learn calibrated scores and the threshold on this share of rows, held back from the detector fit (e.g. 0.2)')
    .addOption(optionWithDefault('--scaler <kind>', 'standard | robust | minmax | none', 'standard; none for images'))
    .option('--set <key=value>', 'a detector option; repeat for more', collect, [])
    .option('--drop-constant', 'drop constant columns instead of failing on them')
    .addOption(IMAGE_FLAGS.size())
    .addOption(IMAGE_FLAGS.color())
    .addOption(optionWithDefault('--timestamp <column>', 'series: the timestamp column', 'one named timestamp, time, date, datetime or ts'))
    .option('--series-id <column>', 'series: a column keying many series; one model per id, in one file')
    .addOption(optionWithDefault('--columns <a,b>', 'series: the value columns', 'all but the timestamp and the series id'))
    .addOption(optionWithDefault('--max-gap <steps>', 'series: longest run of missing steps filled by interpolation', '5'));
  for (const opt of entityOptions()) cmd.addOption(opt);
  return cmd.action(async (o: Opts) => {
      if (findSeriesDetector(o.detector)) {
        const wrong = TABULAR_ONLY.find((k) => o[k] !== undefined);
        if (wrong) throw new UsageError(`${flag(wrong)} is for tabular detectors; '${o.detector}' is a series detector`);
        return fitSeries(o);
      }
      if (!listDetectors().some((d) => d.name === o.detector)) {
        throw new OptionsError(`unknown detector '${o.detector}' (available: ${detectorNames().join(', ')}; series: ${seriesDetectorNames().join(', ')})`);
      }
      const wrong = SERIES_ONLY.find((k) => o[k] !== undefined);
      if (wrong) throw new UsageError(`${flag(wrong)} is for series detectors (${seriesDetectorNames().join(', ')}); '${o.detector}' is a tabular detector`);
      const def = getDetector(o.detector);
      if (!o.label && !def.modes.includes('unsupervised')) {
        const mode = def.modes[0]!;
        throw new UsageError(`${def.name} is ${mode} and learns from labels: add --label <column> (${LABEL_MEANING[mode]})`);
      }
      const setOptions = parseSetPairs(o.set, def.schema);
      // Image input fills the shape options (height, width, channels) once the images are read.
      if (!isImageInput(o.data)) def(setOptions);
      const threshold = thresholdFromFlags(o);
      const entity = entityFromFlags(o);
      if (entity) {
        const dropped = [...splitList(o.ignore), ...(o.label ? [o.label] : []), ...(o.id !== undefined ? [o.id] : [])];
        const clash = entityColumns(entity).find((c) => dropped.includes(c));
        if (clash) throw new UsageError(`'${clash}' is left out by --ignore, --label or --id but the entity features read it`);
        if (isImageInput(o.data)) throw new UsageError('--entity is for tables, not images');
      }
      const t0 = performance.now();
      const bar = progress(100, `fit ${o.detector}`);
      bar.phase(`reading ${o.data}`);
      const train = await loadTraining(o.data, trainingFlags(o));
      const validation = o.validation === undefined ? undefined : await loadTraining(o.validation, trainingFlags(o));
      const holdout = o.calibrationHoldout === undefined ? undefined : positiveFlag(o.calibrationHoldout, '--calibration-holdout');
      if (holdout !== undefined && !(holdout < 1)) throw new UsageError(`--calibration-holdout must be a share between 0 and 1, got '${o.calibrationHoldout}'`);
      const options = train.image ? imageOptions(o.detector, train.image, setOptions) : setOptions;
      bar.phase(`fitting on ${train.frame.rows} rows`);
      // Detectors that report no progress keep their phase line, with the time spent.
      let last: { percent: number; message: string; etaMs?: number } | undefined;
      const started = Date.now();
      const tick = setInterval(() => {
        if (last) bar.update(last.percent, last.message, last.etaMs);
        else bar.phase(`fitting on ${train.frame.rows} rows (${Math.round((Date.now() - started) / 1000)}s)`);
      }, 500);
      const model = await Model.fit(
        train.frame,
        {
          detector: o.detector,
          options,
          threshold,
          preprocess: { scaler: (o.scaler ?? (train.image ? 'none' : 'standard')) as Scaler },
          calibration: holdout === undefined ? {} : { holdout },
          ...(entity ? { entity } : {}),
        },
        {
          labels: train.labels,
          ...(validation ? { validation: { frame: validation.frame, labels: validation.labels } } : {}),
          ...(o.rowsPerDay === undefined ? {} : { rowsPerDay: positiveFlag(o.rowsPerDay, '--rows-per-day') }),
          setAside: setAsideColumns(o, train.dropped),
          onProgress: (p) => {
            last = { percent: Math.round(p.fraction * 100), message: p.message ?? '', etaMs: p.etaMs };
            bar.update(last.percent, last.message, last.etaMs);
          },
        },
      ).finally(() => clearInterval(tick));
      bar.phase('saving');
      await writeOutputFile(o.out, model.toBytes());
      bar.stop();
      for (const c of train.dropped) process.stderr.write(`vigil: dropped constant column '${c}'\n`);
      const late = model.record.entityOutOfOrder ?? 0;
      if (late) process.stderr.write(`vigil: note: ${late} row${late === 1 ? ' was' : 's were'} out of time order in ${o.data}; the entity features took the rows in time order\n`);
      printFitReport(model, o, (performance.now() - t0) / 1000);
      if (model.record.choice) process.stdout.write(describeChoice(model.record.choice) + '\n');
    });
}

export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}
