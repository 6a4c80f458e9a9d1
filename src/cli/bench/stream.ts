import { Command } from 'commander';
import { benchDrift, benchStream } from '../../bench/stream.js';
import { writeJson } from '../commands/bench.js';
import { UsageError } from '../usage-error.js';

interface Opts {
  points: string;
  channels: string;
  json?: string;
}

/** `vigil bench stream`: points/s of every stream detector and drift detector, one thread. */
export function benchStreamCommand(): Command {
  return new Command('stream')
    .description('points per second of each stream and drift detector on a synthetic series (one thread)')
    .option('--points <n>', 'points per detector', '1000000')
    .option('--channels <n>', 'channels per point', '1')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (o: Opts) => {
      const points = Number(o.points);
      const channels = Number(o.channels);
      if (!Number.isInteger(points) || points < 2000) throw new UsageError(`--points must be a whole number >= 2000, got ${o.points}`);
      if (!Number.isInteger(channels) || channels < 1) throw new UsageError(`--channels must be a whole number >= 1, got ${o.channels}`);
      const results = benchStream({ points, channels });
      for (const r of results) {
        process.stdout.write(`${r.detector.padEnd(10)} ${r.threshold.padEnd(6)} ${r.points} points x ${r.channels} ch  ${r.seconds.toFixed(2)} s  ${Math.round(r.pointsPerSecond).toLocaleString('en-US')} points/s  (${r.anomalies} flagged)\n`);
      }
      const drift = benchDrift({ points });
      for (const r of drift) {
        process.stdout.write(`drift ${r.detector.padEnd(13)} ${r.points} points  ${r.seconds.toFixed(2)} s  ${Math.round(r.pointsPerSecond).toLocaleString('en-US')} points/s  (${r.drifts} drifts)\n`);
      }
      if (o.json) await writeJson(o.json, { detectors: results, drift });
    });
}
