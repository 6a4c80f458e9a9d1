import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as `npm start` and the `vigil` bin run it. */
export const CLI = fileURLToPath(new URL('./main.js', import.meta.url));

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Test support: runs `vigil ...args` in a new process as a user types it, without progress bars. */
export function runVigil(args: string[], o: { cwd?: string; input?: string; env?: Record<string, string | undefined> } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: o.cwd,
    input: o.input,
    env: { ...process.env, VIGIL_NO_PROGRESS: '1', ...o.env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The CLI's contract for a user's mistake: status 2, one `vigil: ...` line on stderr, no stack trace. */
export function assertOneLineError(r: CliRun, message: RegExp): void {
  assert.equal(r.code, 2, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${r.err}`);
  assert.match(lines[0]!, /^vigil: /);
  assert.match(lines[0]!, message);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
}
