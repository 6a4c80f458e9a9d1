import { Command } from 'commander';
import { Model } from '../../model/model.js';
import { loadModelFile } from '../../persist/file.js';
import { readTable } from '../../data/index.js';
import { frameFromTable } from '../../data/text-frames.js';
import { reportFromModel, type ReportOptions } from '../../report/index.js';
import { isImageInput } from '../image-input.js';
import { optionWithDefault } from '../conventions.js';
import { budgetPerDay, positiveFlag, THRESHOLD_FLAGS } from '../threshold-flags.js';
import { numberFlag } from '../number-flags.js';
import { UsageError } from '../usage-error.js';
import { writeReportHtml } from '../report/html.js';

interface Opts {
  model: string;
  data: string;
  out: string;
  label?: string;
  id?: string;
  top: string;
  costFn?: string;
  costFp?: string;
  budget?: string;
  rowsPerDay?: string;
  series?: string;
  title?: string;
  delimiter?: string;
}

/** `vigil report`: a model on a data file as one self-contained HTML page (docs/report.md). */
export function reportCommand(): Command {
  return new Command('report')
    .description('a model on a data file as one self-contained HTML page: scores, ROC and PR curves, confusion matrix and cost, top anomalies explained, series chart')
    .requiredOption('--model <file>', 'a model file from `vigil fit`')
    .requiredOption('--data <file>', 'data to report on: CSV (.gz ok), JSON array or NDJSON, with the columns the model was fitted on')
    .requiredOption('--out <file>', 'where to write the HTML page')
    .option('--label <column>', '0/1 label column (1 = anomaly): adds the ROC and PR curves, the confusion matrix, recall, precision and cost')
    .option('--id <column>', 'a column naming each row in the top-anomalies table')
    .option('--top <n>', 'rows in the top-anomalies table', '20')
    .option(THRESHOLD_FLAGS.costFn[0], 'with --cost-fp and --label: the cost at the threshold and the least-cost cut on these rows; the cost of a missed anomaly')
    .option(...THRESHOLD_FLAGS.costFp)
    .option('--budget <n/day|n/hour>', 'the cut meeting this alert budget on these rows, beside the threshold; needs a timestamp column or --rows-per-day')
    .option(THRESHOLD_FLAGS.rowsPerDay[0], 'how many rows make a day, for alerts per day without a timestamp column')
    .addOption(optionWithDefault('--series <id>', 'series models keyed by an id: the series to report on', 'the first in the file'))
    .addOption(optionWithDefault('--title <text>', "the page's title", '<detector> report'))
    .addOption(optionWithDefault('--delimiter <char>', 'CSV delimiter', 'detected from the header'))
    .action(async (o: Opts) => {
      if (isImageInput(o.data)) throw new UsageError('vigil report reads a data file (CSV, JSON or NDJSON); image folders are not supported yet');
      if ((o.costFn === undefined) !== (o.costFp === undefined)) throw new UsageError('give --cost-fn and --cost-fp together');
      const top = numberFlag(o.top, '--top');
      if (!(Number.isInteger(top) && top >= 0)) throw new UsageError(`--top must be a whole number >= 0, got '${o.top}'`);
      const opts: ReportOptions = {
        top,
        ...(o.label !== undefined ? { label: o.label } : {}),
        ...(o.id !== undefined ? { id: o.id } : {}),
        ...(o.costFn !== undefined ? { costFn: positiveFlag(o.costFn, '--cost-fn'), costFp: positiveFlag(o.costFp!, '--cost-fp') } : {}),
        ...(o.budget !== undefined ? { budget: budgetPerDay(o.budget) } : {}),
        ...(o.rowsPerDay !== undefined ? { rowsPerDay: positiveFlag(o.rowsPerDay, '--rows-per-day') } : {}),
        ...(o.series !== undefined ? { series: o.series } : {}),
        ...(o.title !== undefined ? { title: o.title } : {}),
      };
      const { model } = await loadModelFile(o.model);
      if (o.series !== undefined && (model instanceof Model || model.seriesId === null)) {
        throw new UsageError(`--series picks one series of a model fitted with --series-id; this is ${model instanceof Model ? 'a tabular model' : 'a model of one series'}`);
      }
      const table = await readTable(o.data, { delimiter: o.delimiter });
      // The model's categorical columns stay categorical whatever their values look like here.
      const categorical = model instanceof Model ? model.columns.filter((c) => c.kind === 'categorical').map((c) => c.name) : model.seriesId === null ? [] : [model.seriesId];
      const known = categorical.filter((c) => table.header.includes(c));
      const frame = frameFromTable(table, { categorical: known });
      const data = await reportFromModel(model, frame, opts);
      await writeReportHtml(o.out, data);
      const parts = [`${data.rows} ${data.series ? 'steps' : 'rows'}`, `${data.alerts} alerts`];
      if (data.roc) parts.push(`ROC-AUC ${data.roc.area.toFixed(3)}`);
      if (data.pr) parts.push(`PR-AUC ${data.pr.area.toFixed(3)}`);
      if (data.atThreshold.cost !== undefined) parts.push(`cost ${data.atThreshold.cost}`);
      process.stdout.write(`wrote ${o.out}: ${parts.join(', ')}\n`);
    });
}
