/** Running the built CLI as a user types it, for the CLI's tests: a fresh process per command. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** `vigil ...args` in a new process, without progress bars. */
export function vigil(...args: string[]): Run {
  return vigilWithInput('', ...args);
}

/** The same with `input` on standard input. */
export function vigilWithInput(input: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A new temporary folder, and a function naming files in it. */
export function scratch(prefix: string): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return (name) => join(dir, name);
}
