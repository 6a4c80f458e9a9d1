import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { benchNabCommand } from '../bench/nab.js';
import { benchSmapCommand } from '../bench/smap.js';
import { benchTabularCommand } from '../bench/tabular.js';
import { benchImagesCommand } from '../bench/images.js';
import { benchStreamCommand } from '../bench/stream.js';
import { benchSpeedCommand } from '../bench/speed.js';
import { benchServeCommand } from '../bench/serve.js';

/** `vigil bench <workload>`: measurements that read ../shared and never run as tests. */
export function benchCommand(): Command {
  const bench = new Command('bench').description('benchmarks: our figures beside published ones and the Python peer');
  bench.addCommand(benchTabularCommand());
  bench.addCommand(benchNabCommand());
  bench.addCommand(benchSmapCommand());
  bench.addCommand(benchImagesCommand());
  bench.addCommand(benchStreamCommand());
  bench.addCommand(benchSpeedCommand());
  bench.addCommand(benchServeCommand());
  return bench;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}
