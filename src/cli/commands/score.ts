import { Command } from 'commander';
import { once } from 'node:events';
import { DataError } from '../../core/errors.js';
import type { Model } from '../../model/model.js';
import { SeriesModel } from '../../model/series-model.js';
import { loadAnyModel } from '../../persist/file.js';
import { csvCell } from '../csv-cell.js';
import { seriesScoreLines } from '../series-score.js';
import { UsageError } from '../usage-error.js';
import { scoreRows } from '../score-rows.js';
import { checkOutputPath, openOutput, type OutputFile } from '../output.js';
import { progress } from '../progress.js';
import { optionWithDefault } from '../conventions.js';
import { explainNote } from '../explain-note.js';

interface Opts {
  model: string;
  data: string;
  out?: string;
  id?: string;
  delimiter?: string;
  explain?: boolean;
  strict?: boolean;
  calibrated?: boolean;
}

/**
 * Bad rows follow `vigil stream`'s policy: each is skipped with one `vigil: ...; skipped` line on
 * stderr, and `--strict` stops at the first with status 2. A run where every row was skipped
 * fails. `--out` is written atomically, so a failed run leaves no file (and no partial one).
 */
export function scoreCommand(): Command {
  return new Command('score')
    .description('score a data file with a saved model; tabular models stream the file, series models read it whole')
    .requiredOption('--model <file>', 'a model file from `vigil fit`')
    .requiredOption('--data <file>', 'data to score: CSV (.gz ok), JSON array or NDJSON; or images (as for fit), brought to the model\'s image size')
    .addOption(optionWithDefault('--out <file>', 'write scores here, complete or not at all', 'standard output'))
    .option('--id <column>', 'an id column to print instead of the row number')
    .addOption(optionWithDefault('--delimiter <char>', 'CSV delimiter', 'detected from the header'))
    .option('--explain', 'add one contribution column per input column, where the detector can explain')
    .option('--strict', 'stop with status 2 at the first bad row instead of skipping it (tabular models)')
    .option('--calibrated', 'add p_value (the chance a normal row scores at least this high) and calibrated (1 - p_value) columns')
    .action(async (o: Opts) => {
      if (o.out) await checkOutputPath(o.out, '--out');
      const model = await loadAnyModel(o.model);
      if (model instanceof SeriesModel && (o.id !== undefined || o.explain)) {
        throw new UsageError(`${o.id !== undefined ? '--id' : '--explain'} is for tabular models; a series model writes the timestamp, the series id and per-channel scores`);
      }
      const out = o.out ? await openOutput(o.out, '--out') : stdoutOutput();
      try {
        await (model instanceof SeriesModel ? writeSeries(model, o, out) : writeTabular(model, o, out));
        await out.commit();
      } catch (e) {
        await out.abort();
        throw e;
      }
    });
}

async function writeSeries(model: SeriesModel, o: Opts, out: OutputFile): Promise<void> {
  for await (const part of seriesScoreLines(model, o.data, o.delimiter, o.calibrated === true)) await out.write(part);
}

async function writeTabular(model: Model, o: Opts, out: OutputFile): Promise<void> {
  if (o.explain) process.stderr.write(explainNote(model) ?? '');
  // Before any output: a model without calibration fails with one line.
  if (o.calibrated) model.pValues([]);
  let headerDone = false;
  let scored = 0;
  let skipped = 0;
  const onSkip = o.strict
    ? undefined
    : (e: DataError): void => {
        skipped++;
        process.stderr.write(`vigil: ${e.message}; skipped\n`);
      };
  const bar = progress(undefined, 'scored');
  try {
    for await (const chunk of scoreRows(model, o.data, { id: o.id, delimiter: o.delimiter, explain: o.explain === true, onSkip })) {
      if (!headerDone) {
        const extra = (o.calibrated ? ',p_value,calibrated' : '') + (chunk.explanation ? chunk.explanation.columns.map((c) => `,contrib_${csvCell(c)}`).join('') : '');
        await out.write(`${chunk.idName ?? (o.id ? csvCell(o.id) : 'row')},score,is_anomaly${extra}\n`);
        headerDone = true;
      }
      const lines: string[] = [];
      const p = o.calibrated ? model.pValues(chunk.scores) : undefined;
      for (let i = 0; i < chunk.scores.length; i++) {
        let line = `${csvCell(chunk.ids[i]!)},${chunk.scores[i]},${chunk.scores[i]! > model.cutoff ? 1 : 0}`;
        if (p) line += `,${p[i]},${1 - p[i]!}`;
        if (chunk.explanation) {
          const e = chunk.explanation.values;
          for (let j = 0; j < e.cols; j++) line += `,${e.data[i * e.cols + j]}`;
        }
        lines.push(line);
      }
      await out.write(lines.join('\n') + '\n');
      scored += lines.length;
      bar.update(scored, 'rows');
    }
  } catch (e) {
    // On standard output the rows before the error are already out: say so, in the same line.
    if (e instanceof DataError && !o.out && scored > 0) throw new DataError(`${e.message} (standard output has the ${scored} rows scored before it)`);
    throw e;
  } finally {
    bar.stop();
  }
  if (skipped) process.stderr.write(`vigil: scored ${scored} rows, skipped ${skipped} bad row${skipped === 1 ? '' : 's'} (--strict stops at the first)\n`);
}

/** Standard output as an OutputFile: written as it goes, so nothing to commit or take back. */
function stdoutOutput(): OutputFile {
  return {
    async write(s) {
      if (!process.stdout.write(s)) await once(process.stdout, 'drain');
    },
    async commit() {},
    async abort() {},
  };
}
