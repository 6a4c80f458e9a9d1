#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VigilError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { fitCommand } from './commands/fit.js';
import { scoreCommand } from './commands/score.js';
import { evalCommand } from './commands/eval.js';
import { benchCommand } from './commands/bench.js';
import { detectorsCommand } from './commands/detectors.js';
import { tuneCommand } from './commands/tune.js';
import { streamCommand } from './commands/stream.js';
import { serveCommand } from './commands/serve.js';

const program = new Command('vigil')
  .description('Anomaly detection for tabular data, time series and images')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program.addCommand(fitCommand());
program.addCommand(scoreCommand());
program.addCommand(evalCommand());
program.addCommand(tuneCommand());
program.addCommand(benchCommand());
program.addCommand(detectorsCommand());
program.addCommand(streamCommand());
program.addCommand(serveCommand());

/**
 * Errors a user can cause (named VigilErrors) print as one line; anything else is a bug in
 * vigil and keeps its stack trace (set VIGIL_DEBUG=1 to see stacks for user errors too).
 */
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    if (e instanceof VigilError && !process.env['VIGIL_DEBUG']) {
      process.stderr.write(`vigil: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw e;
  }
}

// `vigil score ... | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

await main();
