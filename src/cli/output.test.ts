/**
 * Output files, as a user meets them: a bad --out (or --json-out) fails at once, before the work,
 * in one line; a write that fails mid-way leaves neither the file nor a temporary one; a failed
 * run leaves an existing file as it was.
 */
import { test, describe, before } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantedOutliers } from '../testing/synthetic.js';
import { CLI, assertOneLineError, runVigil } from './run-vigil.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-out-'));
const p = (name: string): string => join(dir, name);

/** Files in the test folder that are left-over temporaries. */
const temporaries = (): string[] => readdirSync(dir).filter((f) => f.includes('.tmp'));

describe('output paths', () => {
  before(() => {
    const { X } = plantedOutliers({ rows: 120, cols: 2, outliers: 4, seed: 1 });
    const lines = ['id,a,b,label'];
    for (let i = 0; i < X.rows; i++) lines.push(`r${i},${X.data[2 * i]},${X.data[2 * i + 1]},${i % 30 === 0 ? 1 : 0}`);
    writeFileSync(p('train.csv'), lines.join('\n') + '\n');
    mkdirSync(p('folder'));
    writeFileSync(p('afile'), 'x');
    // Writes to /dev/full fail with ENOSPC; through a link in our own folder, a regression that
    // renamed over the path would replace the link, never the device.
    symlinkSync('/dev/full', p('full'));
    const fit = runVigil(['fit', '--data', p('train.csv'), '--detector', 'zscore', '--ignore', 'id,label', '--out', p('m.vigil')]);
    assert.equal(fit.code, 0, fit.err);
  });

  const badPaths: [string, string, RegExp][] = [
    ['a missing folder', join('nope', 'x.out'), /folder .*nope does not exist/],
    ['a directory', 'folder', /folder is a directory; give a file name/],
    ['a path under a file', join('afile', 'x.out'), /not a folder/],
  ];
  // Every command that writes a file, with the flag that names it; the data file is missing too,
  // so the output error shows the path was checked before any work.
  const writers: [string, (out: string) => string[]][] = [
    ['fit --out', (out) => ['fit', '--data', p('missing.csv'), '--detector', 'zscore', '--out', out]],
    ['fit --out (series)', (out) => ['fit', '--data', p('missing.csv'), '--detector', 'rolling-z', '--out', out]],
    ['tune --out', (out) => ['tune', '--data', p('missing.csv'), '--detector', 'zscore', '--out', out]],
    ['tune --json <file>', (out) => ['tune', '--data', p('missing.csv'), '--detector', 'zscore', '--json', out]],
    ['tune --json-out', (out) => ['tune', '--data', p('missing.csv'), '--detector', 'zscore', '--json-out', out]],
    ['score --out', (out) => ['score', '--model', p('missing.vigil'), '--data', p('missing.csv'), '--out', out]],
    ['eval --json-out', (out) => ['eval', '--data', p('missing.csv'), '--label', 'label', '--scores', p('missing.csv'), '--json-out', out]],
    ['bench tabular --json', (out) => ['bench', 'tabular', '--data', p('missing.csv'), '--json', out]],
    ['bench speed --json-out', (out) => ['bench', 'speed', '--json-out', out]],
  ];
  for (const [cmd, args] of writers) {
    for (const [what, path, message] of badPaths) {
      test(`${cmd} naming ${what}: one line before the work, exit 2`, () => {
        const r = runVigil(args(p(path)));
        assertOneLineError(r, message);
        assert.match(r.err, /--(out|json|json-out) /, 'the message names the flag');
      });
    }
  }

  test('a write that fails mid-way (disk full) is one line and leaves no temporary file', () => {
    for (const args of [
      ['fit', '--data', p('train.csv'), '--detector', 'zscore', '--ignore', 'id,label', '--out', p('full')],
      ['score', '--model', p('m.vigil'), '--data', p('train.csv'), '--out', p('full')],
      ['tune', '--data', p('train.csv'), '--detector', 'zscore', '--ignore', 'id', '--label', 'label', '--folds', '2', '--trials', '1', '--workers', '1', '--json-out', p('full')],
    ]) {
      assertOneLineError(runVigil(args), /cannot write --(out|json-out) .*full: no space left on the device/);
    }
    assert.deepEqual(temporaries(), []);
  });

  test('score --out writes the whole file or none; a failed run keeps the old file as it was', () => {
    const lines = readFileSync(p('train.csv'), 'utf8').trim().split('\n');
    lines[60] = 'r59,oops,1,0';
    writeFileSync(p('bad.csv'), lines.join('\n') + '\n');
    writeFileSync(p('scores.csv'), 'old scores\n');
    const r = runVigil(['score', '--model', p('m.vigil'), '--data', p('bad.csv'), '--out', p('scores.csv'), '--strict']);
    assertOneLineError(r, /column 'a': row 60 has 'oops' where a number is expected/);
    assert.equal(readFileSync(p('scores.csv'), 'utf8'), 'old scores\n');
    const fresh = runVigil(['score', '--model', p('m.vigil'), '--data', p('bad.csv'), '--out', p('new.csv'), '--strict']);
    assert.equal(fresh.code, 2);
    assert.equal(existsSync(p('new.csv')), false, 'no partial file');
    assert.deepEqual(temporaries(), []);
  });

  test('Ctrl-C while score --out is writing removes the temporary file and leaves no output', async () => {
    // The data comes through a pipe held open, so the run is surely mid-way when the signal comes.
    execFileSync('mkfifo', [p('pipe.csv')]);
    const child = spawn(process.execPath, [CLI, 'score', '--model', p('m.vigil'), '--data', p('pipe.csv'), '--out', p('interrupted.csv')], {
      env: { ...process.env, VIGIL_NO_PROGRESS: '1' },
      stdio: 'ignore',
    });
    const exited = once(child, 'exit');
    const pipe = await open(p('pipe.csv'), 'w');
    try {
      await pipe.write(readFileSync(p('train.csv'), 'utf8'));
      // Bounded wait for the temporary file (the run opens it before it reads any row).
      for (let i = 0; i < 600 && !temporaries().some((f) => f.includes('interrupted.csv')); i++) await sleep(100);
      assert.ok(temporaries().some((f) => f.includes('interrupted.csv')), 'the run is writing its temporary file');
      child.kill('SIGINT');
      const ended = await Promise.race([exited, sleep(60_000).then(() => 'still running')]);
      assert.deepEqual(ended, [null, 'SIGINT'], 'ended by the signal, as without vigil\'s handler');
    } finally {
      await pipe.close();
      child.kill('SIGKILL');
    }
    assert.equal(existsSync(p('interrupted.csv')), false);
    assert.deepEqual(temporaries(), []);
  });
});
