/**
 * The conventions every vigil command shares, set in one place so a new command cannot miss them:
 *  - a usage error commander finds (an unknown option, a missing argument) reads like vigil's own
 *    errors: one `vigil: ...` line on stderr naming the command's --help, status 2;
 *  - every output path a command is given (`--out`, `--json-out`, `--json <file>`) is checked
 *    before the work starts, so a long run never fails at its last step on a bad path;
 *  - help shows every option's default the same way, `(default: x)` after its description, from
 *    commander's default fields (never written into the description): the value itself, or for an
 *    option whose absence means something (detected, the detector's own) the text given with
 *    `optionWithDefault`.
 */
import { Command, CommanderError, Option } from 'commander';
import { checkOutputPath } from './output.js';

/** Status for errors a user can fix: bad input, bad flags. */
export const USAGE_EXIT = 2;

/** Options that name a file a command will write. */
const OUTPUT_FLAGS = ['out', 'jsonOut', 'json'] as const;

/** Commands whose `--out` names a folder (vigil example): they create it, so it is not checked as a file. */
const FOLDER_OUT = new WeakSet<Command>();

/** Marks `cmd`'s `--out` as a folder the command creates. */
export function folderOutput(cmd: Command): Command {
  FOLDER_OUT.add(cmd);
  return cmd;
}

/** Applies the conventions to `program` and every command under it (call after adding commands). */
export function applyConventions(program: Command): void {
  for (const cmd of withDescendants(program)) {
    cmd.exitOverride();
    cmd.configureHelp({ ...cmd.configureHelp(), optionDescription });
    cmd.configureOutput({
      outputError: (message, write) => write(`vigil: ${oneLine(message)} (see '${commandPath(cmd)} --help')\n`),
    });
  }
  program.hook('preAction', async (_hooked, action) => {
    const opts = action.opts() as Record<string, unknown>;
    for (const key of OUTPUT_FLAGS) {
      const v = opts[key];
      if (key === 'out' && FOLDER_OUT.has(action)) continue;
      if (typeof v === 'string') await checkOutputPath(v, `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  });
}

/** The exit status for an error commander threw: 0 for --help and --version, else a usage error. */
export function commanderExitCode(e: CommanderError): number {
  return e.exitCode === 0 ? 0 : USAGE_EXIT;
}

/**
 * An option that stays undefined when absent but shows what absence means in help, e.g.
 * `optionWithDefault('--delimiter <char>', 'CSV delimiter', 'detected from the header')`.
 */
export function optionWithDefault(flags: string, description: string, shownDefault: string): Option {
  return new Option(flags, description).default(undefined, shownDefault);
}

function optionDescription(option: Option): string {
  const d: unknown = option.defaultValue;
  // A repeatable option starts as [] and a flag as false: nothing worth a "default" there.
  const empty = d === undefined || d === false || (Array.isArray(d) && d.length === 0);
  const shown = option.defaultValueDescription ?? (empty ? undefined : typeof d === 'string' ? d : JSON.stringify(d));
  return shown === undefined ? option.description : `${option.description} (default: ${shown})`;
}

export function* withDescendants(cmd: Command): Generator<Command> {
  yield cmd;
  for (const c of cmd.commands) yield* withDescendants(c);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

// "error: unknown option '--x'\n(Did you mean --y?)" -> "unknown option '--x' (Did you mean --y?)"
function oneLine(message: string): string {
  return message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
}
