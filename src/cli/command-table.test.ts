import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Help } from 'commander';
import { COMMANDS } from './command-table.js';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const vigil = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test("the command table's name, usage term and summary are each command's own", async () => {
  for (const c of COMMANDS) {
    const cmd = await c.load();
    assert.equal(cmd.name(), c.name);
    assert.equal(cmd.description(), c.summary, c.name);
    assert.equal(new Help().subcommandTerm(cmd), c.term, c.name);
  }
});

test('vigil --help lists every command with its usage and summary, as loaded', () => {
  const r = vigil('--help');
  assert.equal(r.code, 0, r.err);
  const flat = r.out.replace(/\s+/g, ' ');
  for (const c of COMMANDS) assert.ok(flat.includes(`${c.term} ${c.summary}`), `${c.name} missing from:\n${r.out}`);
});

test("a command's own help is complete whichever way it is asked for", () => {
  for (const args of [['fit', '--help'], ['help', 'fit']]) {
    const r = vigil(...args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Usage: vigil fit \[options\]/);
    assert.match(r.out, /--detector/);
  }
});

test('a mistyped command is still suggested from the table', () => {
  const r = vigil('fitt');
  assert.notEqual(r.code, 0);
  assert.match(r.err, /unknown command 'fitt'/);
  assert.match(r.err, /Did you mean fit\?/);
});
