#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VigilError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { applyConventions, commanderExitCode } from './conventions.js';
import { stopProgress } from './progress.js';
import { addCommands } from './command-table.js';

const program = new Command('vigil')
  .description('Anomaly detection for tabular data, time series and images')
  .version(VERSION);

await addCommands(program, process.argv);
applyConventions(program);

/**
 * Errors a user can cause (named VigilErrors) print as one line; anything else is a bug in
 * vigil and keeps its stack trace (set VIGIL_DEBUG=1 to see stacks for user errors too).
 */
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    stopProgress();
    if (e instanceof CommanderError) {
      process.exitCode = commanderExitCode(e);
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
