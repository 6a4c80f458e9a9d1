import { Command } from 'commander';
import { benchSeriesStream } from '../../bench/series-stream.js';
import { benchDrift, benchStream } from '../../bench/stream.js';
import { writeJson } from '../commands/bench.js';
import { wholeFlagOr } from '../number-flags.js';

interface Opts {
  points: string;
  channels: string;
  lstmPoints: string;
  microBatch: string;
  json?: string;
}

/** `vigil bench stream`: points/s of every stream and drift detector, then of LSTM scoring in micro-batches, one thread. */
export function benchStreamCommand(): Command {
  return new Command('stream')
    .description('points per second of each stream and drift detector and of LSTM scoring on a synthetic series (one thread)')
    .option('--points <n>', 'points per detector', '1000000')
    .option('--channels <n>', 'channels per point', '1')
    .option('--lstm-points <n>', 'points scored by the LSTM forecaster (0 skips it)', '20000')
    .option('--micro-batch <n>', 'points per LSTM scoring call', '64')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (o: Opts) => {
      const points = wholeFlagOr(o.points, '--points', 2000);
      const channels = wholeFlagOr(o.channels, '--channels', 1);
      const lstmPoints = wholeFlagOr(o.lstmPoints, '--lstm-points', 0);
      const microBatch = wholeFlagOr(o.microBatch, '--micro-batch', 1);
      const rate = (r: { pointsPerSecond: number }): string => `${Math.round(r.pointsPerSecond).toLocaleString('en-US')} points/s`;
      const results = benchStream({ points, channels });
      for (const r of results) {
        process.stdout.write(`${r.detector.padEnd(10)} ${r.threshold.padEnd(6)} ${r.points} points x ${r.channels} ch  ${r.seconds.toFixed(2)} s  ${rate(r)}  (${r.anomalies} flagged)\n`);
      }
      const drift = benchDrift({ points });
      for (const r of drift) {
        process.stdout.write(`drift ${r.detector.padEnd(13)} ${r.points} points  ${r.seconds.toFixed(2)} s  ${rate(r)}  (${r.drifts} drifts)\n`);
      }
      const series = lstmPoints > 0 ? [await benchSeriesStream({ points: lstmPoints, channels, microBatch })] : [];
      for (const r of series) {
        process.stdout.write(`${r.detector.padEnd(10)} batch ${r.microBatch} ${r.points} points x ${r.channels} ch  ${r.seconds.toFixed(2)} s  ${rate(r)} (${Math.round(r.pointsPerCpuSecond).toLocaleString('en-US')} per CPU second)  (window ${r.context})\n`);
      }
      if (o.json) await writeJson(o.json, { detectors: results, drift, series });
    });
}
