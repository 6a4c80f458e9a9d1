import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { SeriesModel } from '../../model/series-model.js';
import { loadAnyModel } from '../../persist/file.js';
import { csvCell } from '../csv-cell.js';
import { seriesScoreLines } from '../series-score.js';
import { UsageError } from '../usage-error.js';
import { scoreChunks } from '../input.js';
import { progress } from '../progress.js';
import { explainNote } from '../explain-note.js';

interface Opts {
  model: string;
  data: string;
  out?: string;
  id?: string;
  delimiter?: string;
  explain?: boolean;
  calibrated?: boolean;
}

export function scoreCommand(): Command {
  return new Command('score')
    .description('score a data file with a saved model; tabular models stream the file, series models read it whole')
    .requiredOption('--model <file>', 'a model file from `vigil fit`')
    .requiredOption('--data <file>', 'data to score: CSV (.gz ok), JSON array or NDJSON; or images (as for fit), brought to the model\'s image size')
    .option('--out <file>', 'write scores here (default: standard output)')
    .option('--id <column>', 'an id column to print instead of the row number')
    .option('--delimiter <char>', 'CSV delimiter (default: detected from the header)')
    .option('--explain', 'add one contribution column per input column, where the detector can explain')
    .option('--calibrated', 'add p_value (the chance a normal row scores at least this high) and calibrated (1 - p_value) columns')
    .action(async (o: Opts) => {
      const model = await loadAnyModel(o.model);
      if (model instanceof SeriesModel && (o.id !== undefined || o.explain)) {
        throw new UsageError(`${o.id !== undefined ? '--id' : '--explain'} is for tabular models; a series model writes the timestamp, the series id and per-channel scores`);
      }
      const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
      const write = async (s: string): Promise<void> => {
        if (!out.write(s)) await once(out, 'drain');
      };
      if (model instanceof SeriesModel) {
        for await (const part of seriesScoreLines(model, o.data, o.delimiter, o.calibrated === true)) await write(part);
        if (o.out) {
          out.end();
          await once(out, 'finish');
        }
        return;
      }
      if (o.explain) process.stderr.write(explainNote(model) ?? '');
      // Before any output: a model without calibration fails with one line, not a half-written file.
      if (o.calibrated) model.pValues([]);
      let headerDone = false;
      let scored = 0;
      const bar = progress(undefined, 'scored');
      for await (const chunk of scoreChunks(model, o.data, { id: o.id, delimiter: o.delimiter, explain: o.explain === true })) {
        if (!headerDone) {
          const extra = (o.calibrated ? ',p_value,calibrated' : '') + (chunk.explanation ? chunk.explanation.columns.map((c) => `,contrib_${csvCell(c)}`).join('') : '');
          await write(`${chunk.idName ?? (o.id ? csvCell(o.id) : 'row')},score,is_anomaly${extra}\n`);
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
        await write(lines.join('\n') + '\n');
        scored += lines.length;
        bar.update(scored, 'rows');
      }
      bar.stop();
      if (o.out) {
        out.end();
        await once(out, 'finish');
      }
    });
}
