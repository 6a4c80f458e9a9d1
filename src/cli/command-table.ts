import { Command, Help } from 'commander';

/**
 * The CLI's commands, each module loaded only when its command runs: `vigil --help` (or a typo)
 * loads none of them, so it never pays for every detector, parser and engine module. `term` and
 * `summary` are what the top-level help lists; command-table.test.ts checks them against each
 * command's own.
 */
export interface CommandEntry {
  name: string;
  term: string;
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'fit',
    term: 'fit [options]',
    summary: 'fit a detector on a data file and save the model',
    load: async () => (await import('./commands/fit.js')).fitCommand(),
  },
  {
    name: 'score',
    term: 'score [options]',
    summary: 'score a data file with a saved model; tabular models stream the file, series models read it whole',
    load: async () => (await import('./commands/score.js')).scoreCommand(),
  },
  {
    name: 'eval',
    term: 'eval [options]',
    summary: 'compare scores (from `vigil score`) with the true labels, paired on the id or row column the scores file carries',
    load: async () => (await import('./commands/eval.js')).evalCommand(),
  },
  {
    name: 'tune',
    term: 'tune [options]',
    summary: "cross-validated search over a detector's settings; writes the best as a ready model",
    load: async () => (await import('./commands/tune.js')).tuneCommand(),
  },
  {
    name: 'bench',
    term: 'bench',
    summary: 'benchmarks: our figures beside published ones and the Python peer',
    load: async () => (await import('./commands/bench.js')).benchCommand(),
  },
  {
    name: 'detectors',
    term: 'detectors [name]',
    summary: "list the detectors (tabular with their learning modes, series, stream), or show one detector's options",
    load: async () => (await import('./commands/detectors.js')).detectorsCommand(),
  },
  {
    name: 'stream',
    term: 'stream [options]',
    summary: 'score points from standard input as they arrive (NDJSON or CSV); one JSON result per line',
    load: async () => (await import('./commands/stream.js')).streamCommand(),
  },
  {
    name: 'inspect',
    term: 'inspect [options] <model>',
    summary: 'show what a model file holds: detector and options, columns and their roles, threshold, training summary, vigil version',
    load: async () => (await import('./commands/inspect.js')).inspectCommand(),
  },
  {
    name: 'example',
    term: 'example [options] [name]',
    summary: 'run a kit end to end (fraud, intrusion, equipment, vitals, prices, image-defects) and compare approaches',
    load: async () => (await import('./commands/example.js')).exampleCommand(),
  },
  {
    name: 'report',
    term: 'report [options]',
    summary: 'a model on a data file as one self-contained HTML page: scores, ROC and PR curves, confusion matrix and cost, top anomalies explained, series chart',
    load: async () => (await import('./commands/report.js')).reportCommand(),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    summary: 'run the monitoring service (HTTP API on embedded SQLite); see docs/service.md',
    load: async () => (await import('./commands/serve.js')).serveCommand(),
  },
];

/**
 * Adds every command to `program`: the one `argv` runs (also as `help <command>`) in full, the
 * others as their name and summary only, which is all the top-level help and commander's
 * did-you-mean suggestions read.
 */
export async function addCommands(program: Command, argv: readonly string[]): Promise<void> {
  const args = argv.slice(2).filter((a) => !a.startsWith('-'));
  const wanted = args[0] === 'help' ? args[1] : args[0];
  const terms = new Map<string, string>();
  for (const c of COMMANDS) {
    if (c.name === wanted) {
      program.addCommand(await c.load());
    } else {
      program.addCommand(new Command(c.name).description(c.summary));
      terms.set(c.name, c.term);
    }
  }
  const help = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? help.subcommandTerm(cmd) });
}
