import { Command } from 'commander';
import { writeJsonFile } from '../output.js';
import { UsageError } from '../usage-error.js';
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
  // Every bench writes its JSON with --json <file>; --json-out <file> is the spelling the other commands use.
  for (const sub of bench.commands.filter((c) => c.options.some((x) => x.long === '--json'))) {
    sub.option('--json-out <file>', 'write the results as JSON to this file (the same as --json <file>)');
    sub.hook('preAction', (cmd) => {
      const { json, jsonOut } = cmd.opts<{ json?: string; jsonOut?: string }>();
      if (jsonOut === undefined) return;
      if (json !== undefined && json !== jsonOut) throw new UsageError('give one of --json and --json-out');
      cmd.setOptionValue('json', jsonOut);
    });
  }
  return bench;
}

/** A bench's JSON results, written atomically (see output.ts). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeJsonFile(path, value, '--json');
}
