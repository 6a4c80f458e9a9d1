/**
 * Progress is for a person at a terminal: phase lines at once (a step may hold the event loop),
 * a bar with one time left, nothing at all off a terminal or with VIGIL_NO_PROGRESS.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progress, stopProgress, timeLeft } from './progress.js';
import { progressHook } from '../detectors/deep/common.js';
import type { FitProgress } from '../detectors/detector.js';
import { CLI, runVigil } from './run-vigil.js';

/** A terminal that records what is drawn; cursor moves as marks. */
class Terminal extends Writable {
  isTTY: boolean;
  columns = 120;
  text = '';
  constructor(tty = true) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += String(chunk);
    cb();
  }
  cursorTo(): boolean {
    this.text += '<to>';
    return true;
  }
  clearLine(): boolean {
    this.text += '<clear>';
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  clearScreenDown(): boolean {
    return true;
  }
}
const asStream = (t: Terminal): NodeJS.WriteStream => t as unknown as NodeJS.WriteStream;

describe('progress', () => {
  const saved = process.env['VIGIL_NO_PROGRESS'];
  const withProgress = (run: () => void): void => {
    delete process.env['VIGIL_NO_PROGRESS'];
    try {
      run();
    } finally {
      if (saved !== undefined) process.env['VIGIL_NO_PROGRESS'] = saved;
    }
  };

  test('a phase line shows at once on a terminal and is taken off at stop', () => {
    withProgress(() => {
      const t = new Terminal();
      const p = progress(100, 'fit iforest', asStream(t));
      p.phase('reading train.csv');
      assert.match(t.text, /fit iforest: reading train\.csv$/);
      p.phase('fitting on 300000 rows');
      assert.match(t.text, /<to><clear>fit iforest: fitting on 300000 rows$/);
      p.stop();
      assert.match(t.text, /<to><clear>$/);
    });
  });

  test('nothing is drawn off a terminal, or with VIGIL_NO_PROGRESS', () => {
    withProgress(() => {
      const piped = new Terminal(false);
      const p = progress(10, 'x', asStream(piped), () => 5000);
      p.phase('reading');
      p.update(5, 'rows');
      p.stop();
      assert.equal(piped.text, '');
    });
    process.env['VIGIL_NO_PROGRESS'] = '1';
    try {
      const t = new Terminal();
      const p = progress(10, 'x', asStream(t));
      p.phase('reading');
      p.stop();
      assert.equal(t.text, '');
    } finally {
      if (saved === undefined) delete process.env['VIGIL_NO_PROGRESS'];
      else process.env['VIGIL_NO_PROGRESS'] = saved;
    }
  });

  test("a deep fit's bar shows one time left: the epochs' own estimate", () => {
    const reports: FitProgress[] = [];
    progressHook({ onProgress: (r) => reports.push(r) })!({ epoch: 5, epochs: 10, loss: 0.25, elapsedMs: 10_000, etaMs: 65_000 });
    assert.deepEqual(reports, [{ fraction: 0.5, epoch: 5, epochs: 10, loss: 0.25, message: 'epoch 5/10 loss 0.2500', etaMs: 65_000 }]);
    withProgress(() => {
      const t = new Terminal();
      let clock = 0;
      const p = progress(100, 'fit autoencoder', asStream(t), () => clock);
      p.update(10, 'early');
      assert.equal(t.text, '', 'no bar in the first second');
      clock = 2000;
      p.update(50, reports[0]!.message, reports[0]!.etaMs);
      p.stop();
      const line = t.text.split('<to>').filter((s) => s.includes('epoch 5/10')).pop() ?? '';
      assert.match(line, /fit autoencoder \[.*\] 50% \| 50\/100 \| eta 1m05s \| epoch 5\/10 loss 0\.2500/);
      assert.equal(line.match(/eta/g)?.length, 1, line);
    });
  });

  test('the time left without an estimate comes from the rate so far', () => {
    assert.equal(timeLeft(25, 100, 10_000), 'eta 30s');
    assert.equal(timeLeft(25, 100, 10_000, 4_000), 'eta 4s');
    assert.equal(timeLeft(0, 100, 10_000), 'eta -');
    assert.equal(timeLeft(5, undefined, 10_000), 'eta -');
  });

  test('stopProgress takes every line off, so an error starts on a clean line', () => {
    withProgress(() => {
      const t = new Terminal();
      progress(10, 'tune', asStream(t)).phase('fold 1');
      stopProgress();
      assert.match(t.text, /fold 1<to><clear>$/);
    });
  });
});

describe('progress from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-progress-'));
  const data = join(dir, 'train.csv');
  writeFileSync(data, ['a,b', ...Array.from({ length: 300 }, (_, i) => `${Math.sin(i)},${Math.cos(i)}`)].join('\n') + '\n');
  const fit = ['fit', '--data', data, '--detector', 'iforest', '--out', join(dir, 'm.vigil')];

  test('a classical fit on a terminal shows its phases; piped, stderr stays empty', () => {
    // script(1) gives the command a terminal, as a user's shell does.
    const cmd = [process.execPath, CLI, ...fit].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: undefined } });
    assert.equal(tty.status, 0, tty.stderr);
    assert.match(tty.stdout, /fit iforest: reading .*train\.csv/);
    assert.match(tty.stdout, /fit iforest: fitting on 300 rows/);
    assert.match(tty.stdout, /fit iforest: saving/);
    assert.match(tty.stdout, /fitted iforest on 300 rows/);
    const quiet = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
    assert.equal(quiet.status, 0);
    assert.doesNotMatch(quiet.stdout, /fit iforest:/);
    const piped = runVigil(fit, { env: { VIGIL_NO_PROGRESS: undefined } });
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.err, '');
  });
});
