import { Command } from 'commander';
import { benchSpeed } from '../../bench/speed.js';
import { writeJson } from '../commands/bench.js';
import { wholeFlagOr } from '../number-flags.js';

interface Opts {
  rows: string;
  dim: string;
  json?: string;
  peer: boolean;
}

const ratio = (a: number, b: number | null): string => (b ? (a / b).toFixed(2) : '-');

/** `vigil bench speed`: train and score rows/s of the deep workloads beside the Python peer's. */
export function benchSpeedCommand(): Command {
  return new Command('speed')
    .description("train and score rows/s (dense autoencoder, LSTM forecaster, conv autoencoder) beside the peer's")
    .option('--rows <n>', 'rows (images: rows/10; LSTM windows: rows/10, at least 1000)', '40000')
    .option('--dim <n>', 'features of the dense workload', '32')
    .option('--json <file>', 'also write the results as JSON')
    .option('--no-peer', 'do not run the Python peer')
    .action(async (o: Opts) => {
      const rows = wholeFlagOr(o.rows, '--rows', 10);
      const dim = wholeFlagOr(o.dim, '--dim', 1);
      const res = await benchSpeed({ rows, dim, peer: o.peer });
      process.stdout.write('workload        train/s    peer      ratio  score/s     peer       ratio\n');
      for (const [name, r] of Object.entries(res)) {
        process.stdout.write(
          `${name.padEnd(15)} ${String(r.train_rows_per_s).padEnd(10)} ${String(r.peer_train_rows_per_s ?? '-').padEnd(9)} ${ratio(r.train_rows_per_s, r.peer_train_rows_per_s).padEnd(6)} ${String(r.score_rows_per_s).padEnd(11)} ${String(r.peer_score_rows_per_s ?? '-').padEnd(10)} ${ratio(r.score_rows_per_s, r.peer_score_rows_per_s)}\n`,
        );
      }
      if (o.json) await writeJson(o.json, res);
    });
}
