import { Command } from 'commander';
import { averagePrecision, bestF1, confusion, precisionAtN, prf, rocAuc } from '../../evaluate/metrics.js';
import { pairScores } from '../eval-join.js';
import { renderTable } from '../table.js';
import { writeJsonFile } from '../output.js';
import { optionWithDefault } from '../conventions.js';

interface Opts {
  data: string;
  label: string;
  scores: string;
  json?: boolean;
  jsonOut?: string;
  delimiter?: string;
  id?: string;
}

export function evalCommand(): Command {
  return new Command('eval')
    .description('compare scores (from `vigil score`) with the true labels, paired on the id or row column the scores file carries')
    .requiredOption('--data <file>', 'the scored data, with its label column')
    .requiredOption('--label <column>', '0/1 label column in --data')
    .requiredOption('--scores <file>', 'the scores CSV written by `vigil score`')
    .addOption(optionWithDefault('--id <column>', "the id column of --data the scores file's ids match", "the scores file's first column, as score --id wrote it"))
    .addOption(optionWithDefault('--delimiter <char>', 'CSV delimiter of --data', 'detected from the header'))
    .option('--json', 'print the metrics as JSON instead of the table')
    .option('--json-out <file>', 'write the metrics as JSON to this file')
    .action(async (o: Opts) => {
      // Joined on the id (or row number) the scores file carries; by position only without one.
      const { labels, scores, predicted, joinedOn } = await pairScores(o);
      const anomalies = labels.reduce((a, b) => a + b, 0);
      const result = {
        rows: labels.length,
        joined_on: joinedOn,
        anomalies,
        roc_auc: rocAuc(labels, scores),
        pr_auc: averagePrecision(labels, scores),
        p_at_n: precisionAtN(labels, scores),
        at_threshold: predicted ? { ...prf(confusion(labels, predicted)), confusion: confusion(labels, predicted) } : null,
        best_f1: bestF1(labels, scores),
      };
      if (o.jsonOut) await writeJsonFile(o.jsonOut, result);
      if (o.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return;
      }
      const rows: (string | number | null)[][] = [
        ['rows', result.rows],
        ['paired by', joinedOn.kind === 'id' ? `id column '${joinedOn.column}'` : joinedOn.kind === 'row' ? 'row number' : 'position'],
        ['anomalies', result.anomalies],
        ['ROC-AUC', result.roc_auc],
        ['PR-AUC (average precision)', result.pr_auc],
        ['precision@n', result.p_at_n],
      ];
      if (result.at_threshold) {
        const t = result.at_threshold;
        rows.push(
          ['precision (model threshold)', t.precision],
          ['recall (model threshold)', t.recall],
          ['F1 (model threshold)', t.f1],
          ['confusion tp / fp / tn / fn', `${t.confusion.tp} / ${t.confusion.fp} / ${t.confusion.tn} / ${t.confusion.fn}`],
        );
      }
      rows.push(['best F1', result.best_f1.f1], ['  at score >=', result.best_f1.threshold]);
      process.stdout.write(renderTable(['metric', 'value'], rows, 4) + '\n');
    });
}
