import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_TP,
  NAB_PROFILES,
  prepareFile,
  probationLength,
  scaledSigmoid,
  scoreFile,
  scoreNab,
  sweepThresholds,
  bestThreshold,
  type NabFile,
} from './index.js';
import { Rng } from '../../core/random.js';

const MIN = 60_000;
const std = NAB_PROFILES.standard!;
const lowFP = NAB_PROFILES.reward_low_FP_rate!;
const lowFN = NAB_PROFILES.reward_low_FN_rate!;
const close = (a: number, b: number, msg = ''): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b} ${msg}`);

/** A file of `rows` one-minute rows, windows given as row ranges, detections as rows with score 1. */
function file(rows: number, windows: [number, number][], detections: number[], name = 'cat/f.csv'): NabFile {
  const scores = new Float64Array(rows);
  for (const d of detections) scores[d] = 1;
  return {
    name,
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * MIN),
    scores,
    windows: windows.map(([a, b]) => [a * MIN, b * MIN] as const),
  };
}

const raw = (f: NabFile, cost = std): number => scoreFile(prepareFile(f), 0.5, cost).raw;

test("NAB's scaled sigmoid and probationary period", () => {
  close(scaledSigmoid(-1), 2 / (1 + Math.exp(-5)) - 1);
  assert.ok(Math.abs(scaledSigmoid(-1) - 0.98661) < 1e-5);
  assert.ok(Math.abs(scaledSigmoid(-0.5) - 0.84828) < 1e-5);
  close(scaledSigmoid(0), 0);
  assert.equal(scaledSigmoid(3.01), -1);
  assert.equal(probationLength(1000), 150);
  assert.equal(probationLength(4032), 604);
  assert.equal(probationLength(100_000), 750);
});

// One 1000-row file: probation is rows 0-149, the window rows 500-599 (100 rows).
const W: [number, number][] = [[500, 599]];

test('a detection on the first row of a window earns exactly tpWeight; a missed window costs fnWeight', () => {
  close(raw(file(1000, W, [500])), 1);
  close(raw(file(1000, W, [])), -1);
  close(raw(file(1000, W, []), lowFN), -2);
});

test('an earlier detection in a window scores higher than a later one', () => {
  const early = raw(file(1000, W, [510]));
  const late = raw(file(1000, W, [580]));
  assert.ok(early > late && late > 0, `${early} ${late}`);
  // The last row of the window: position -1/100, just above 0.
  close(raw(file(1000, W, [599])), scaledSigmoid(-1 / 100) / MAX_TP);
  close(early, scaledSigmoid(-90 / 100) / MAX_TP);
});

test('only the first detection in a window counts', () => {
  close(raw(file(1000, W, [510, 520, 580, 599])), raw(file(1000, W, [510])));
});

test('a false positive costs, and costs more under reward_low_FP_rate', () => {
  const base = raw(file(1000, W, [510]));
  // Before any window: the full fpWeight.
  close(raw(file(1000, W, [300, 510])), base - 0.11);
  close(raw(file(1000, W, [300, 510]), lowFP), raw(file(1000, W, [510]), lowFP) - 0.22);
  // Just after the window it costs little; more than three window lengths after, the full weight.
  const near = raw(file(1000, W, [510, 600])) - base;
  close(near, scaledSigmoid(1 / 99) * 0.11);
  assert.ok(near < 0 && near > -0.01, `${near}`);
  close(raw(file(1000, W, [510, 999])) - base, 0.11 * scaledSigmoid(400 / 99));
  close(raw(file(1000, W, [510, 999])) - base, -0.11);
});

test('detections inside the probationary period are ignored', () => {
  close(raw(file(1000, W, [0, 100, 149, 510])), raw(file(1000, W, [510])));
  // Row 150 is the first scored row.
  close(raw(file(1000, W, [150, 510])), raw(file(1000, W, [510])) - 0.11);
});

test('S(t) puts the window score on the window\'s first row and each false positive on its row', () => {
  const s = scoreFile(prepareFile(file(1000, [[500, 599], [800, 849]], [300, 520, 900])), 0.5, std);
  const nonzero = [...s.st.entries()].filter(([, v]) => v !== 0).map(([i]) => i);
  assert.deepEqual(nonzero, [300, 500, 800, 900]);
  close(s.st[500]!, scaledSigmoid(-80 / 100) / MAX_TP);
  close(s.st[800]!, -1);
  // Row 900 follows the window ending at 849 (50 rows): position 51/49.
  close(s.st[900]!, scaledSigmoid(51 / 49) * 0.11);
  close(s.raw, s.st.reduce((a, b) => a + b, 0));
  assert.deepEqual([s.detected, s.fp], [1, 2]);
});

test('the perfect detector normalises to 100 and the null detector to 0, in every profile', () => {
  const windows: [number, number][][] = [[[300, 349], [700, 749]], [[400, 449]], []];
  const perfect = windows.map((ws, j) => file(1000, ws, ws.map((w) => w[0]), `c/p${j}.csv`));
  const nothing = windows.map((ws, j) => file(1000, ws, [], `c/p${j}.csv`));
  const p = scoreNab(perfect, NAB_PROFILES);
  const n = scoreNab(nothing, NAB_PROFILES);
  for (const name of Object.keys(NAB_PROFILES)) {
    close(p.profiles[name]!.normalized, 100, name);
    close(n.profiles[name]!.normalized, 0, name);
  }
  assert.equal(p.windows, 3);
  assert.equal(n.profiles['reward_low_FN_rate']!.null, -6);
  // The null detector's best threshold detects nothing: NAB's 1.1 above scores in [0, 1].
  assert.equal(n.profiles['standard']!.threshold, 1.1);
});

test('the sweep scores every threshold as the per-file scorer does, and picks the best', () => {
  const r = new Rng(3);
  const files: NabFile[] = [0, 1, 2].map((j) => {
    const f = file(800 + 100 * j, [[300 + 50 * j, 339 + 50 * j], [600, 619]], [], `c/r${j}.csv`);
    const scores = Float64Array.from({ length: f.timestamps.length }, () => Math.round(r.next() * 50) / 50);
    return { ...f, scores };
  });
  const prepared = files.map((f) => prepareFile(f));
  for (const cost of Object.values(NAB_PROFILES)) {
    const sweep = sweepThresholds(prepared, cost);
    for (const s of sweep) {
      const sum = prepared.reduce((acc, f) => acc + scoreFile(f, s.threshold, cost).raw, 0);
      assert.ok(Math.abs(sum - s.score) < 1e-9, `${s.threshold}: ${sum} vs ${s.score}`);
    }
    const best = bestThreshold(sweep);
    assert.ok(sweep.every((s) => s.score <= best.score));
    const result = scoreNab(files, { p: cost });
    close(result.profiles['p']!.threshold, best.threshold);
    assert.ok(Math.abs(result.profiles['p']!.raw - best.score) < 1e-9);
  }
});

test('given thresholds are used as given; an unknown profile among them is an error', () => {
  const f = [file(1000, W, [510])];
  const r = scoreNab(f, NAB_PROFILES, { thresholds: { standard: 2, reward_low_FP_rate: 0.5, reward_low_FN_rate: 0.5 } });
  close(r.profiles['standard']!.raw, -1);
  assert.equal(r.profiles['standard']!.thresholdFrom, 'given');
  assert.throws(() => scoreNab(f, NAB_PROFILES, { thresholds: { nope: 1 } }), /unknown NAB profile 'nope'/);
});

test('windows are rows whose timestamps fall inside them, even when time goes backwards', () => {
  // Rows 0..9 at minutes 0..9, then minutes 5..9 again: a window over minutes 6-7 holds rows 6, 7, 11, 12.
  const ts = Float64Array.from([...Array(10).keys(), 5, 6, 7, 8, 9], (m) => m * MIN);
  const f = prepareFile({ name: 'x', timestamps: ts, scores: new Float64Array(15), windows: [[6 * MIN, 7 * MIN]] }, 0);
  assert.deepEqual(f.windows, [{ first: 6, last: 12, length: 4 }]);
  assert.deepEqual(Array.from(f.inWindow), [-1, -1, -1, -1, -1, -1, 0, 0, -1, -1, -1, 0, 0, -1, -1]);
  assert.equal(f.preceding[13], 0);
  assert.equal(f.preceding[9], -1);
});

test('bad NAB inputs are one-line data errors', () => {
  assert.throws(() => prepareFile(file(100, [[200, 210]], [])), /holds no rows/);
  assert.throws(() => prepareFile({ ...file(100, [], []), scores: new Float64Array(99) }), /100 timestamps but 99 anomaly scores/);
  assert.throws(() => prepareFile(file(100, [[10, 20], [15, 30]], [])), /overlap/);
  assert.throws(() => scoreNab([], NAB_PROFILES), /no NAB files/);
});
