import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../main.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'vigil-smap-'));
const smap = join(root, 'smap');

function vigil(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, 'bench', 'smap', ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Channel column 0 plus one command column, a seeded wobble; test spike on rows 300-309 (labelled 295-320). */
function channel(rows: number, seed: number, spike?: [number, number]): string {
  let s = seed;
  const lines = ['value,c1'];
  for (let i = 0; i < rows; i++) {
    s = (s * 16807) % 2147483647;
    const v = 0.5 + 0.1 * Math.sin(i / 5) + 0.02 * (s / 2147483647 - 0.5) + (spike && i >= spike[0] && i <= spike[1] ? 0.8 : 0);
    lines.push(`${v.toFixed(4)},${i % 50 === 0 ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

function writeCorpus(): void {
  mkdirSync(join(smap, 'train'), { recursive: true });
  mkdirSync(join(smap, 'test'), { recursive: true });
  writeFileSync(join(smap, 'train', 'X-1.csv'), channel(400, 3));
  writeFileSync(join(smap, 'test', 'X-1.csv'), channel(500, 5, [300, 309]));
  writeFileSync(join(smap, 'train', 'X-2.csv'), channel(400, 7));
  writeFileSync(join(smap, 'test', 'X-2.csv'), channel(450, 9));
  writeFileSync(
    join(smap, 'labeled_anomalies.csv'),
    'chan_id,spacecraft,anomaly_sequences,class,num_values\nX-1,SMAP,"[[295, 320]]",[point],500\nX-2,SMAP,"[[100, 120]]",[contextual],450\n',
  );
}

describe('vigil bench smap', () => {
  before(writeCorpus);

  test('fits on train, scores test, and reports event, range, point and labelled point-adjusted figures', () => {
    const out = join(root, 'out.json');
    const r = vigil('--data', smap, '--detector', 'rolling-z', '--set', 'window=30', '--threshold', 'pot', '--json', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /detector 'rolling-z window=30', 2 channels, 2 labelled sequences; threshold pot/);
    assert.match(r.out, /point-adjusted \(optimistic\)/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(Object.keys(json).slice(0, 6), ['detector', 'threshold', 'point', 'range', 'event', 'pointAdjusted']);
    assert.equal(json.detector, 'rolling-z');
    assert.equal(json.threshold, 'pot');
    assert.equal(json.pointAdjusted.note, 'point-adjusted (optimistic)');
    assert.deepEqual(json.channels.map((c: { id: string }) => c.id), ['X-1', 'X-2']);
    // The spike is found: X-1's one sequence is an event hit; X-2's (no anomaly planted) is missed.
    assert.equal(json.channels[0].event.recall, 1);
    assert.equal(json.channels[1].event.recall, 0);
    assert.equal(json.event.recall, 0.5);
    assert.ok(json.pointAdjusted.recall >= json.point.recall);
  });

  test('the dynamic threshold runs on the test scores', () => {
    const r = vigil('--data', smap, '--detector', 'seasonal', '--channels', 'X-1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 channels, 1 labelled sequences; threshold dynamic/);
  });

  test('bad input is one line and exit code 2', () => {
    writeFileSync(join(root, 'bad.csv'), '');
    const cases: [string[], RegExp][] = [
      [['--data', smap], /give --detector NAME/],
      [['--data', smap, '--detector', 'nope'], /unknown series detector 'nope'/],
      [['--data', smap, '--detector', 'ewma', '--threshold', 'magic'], /--threshold must be dynamic or pot/],
      [['--data', smap, '--detector', 'ewma', '--prune', '1'], /--prune must be in \[0, 1\)/],
      [['--data', join(root, 'missing'), '--detector', 'ewma'], /no such folder/],
      [['--data', smap, '--detector', 'ewma', '--channels', 'Z-9'], /no channel 'Z-9'/],
    ];
    for (const [args, msg] of cases) {
      const r = vigil(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});
