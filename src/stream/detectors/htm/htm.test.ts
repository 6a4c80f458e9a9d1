import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError, OptionsError } from '../../../core/errors.js';
import { Rng } from '../../../core/random.js';
import { FixedThreshold } from '../../stream-detector.js';
import { AnomalyLikelihood } from '../../../threshold/anomaly-likelihood.js';
import { ScalarEncoder } from './encoder.js';
import { SpatialPooler } from './spatial-pooler.js';
import { TemporalMemory } from './temporal-memory.js';
import { Htm } from './htm.js';

const overlap = (a: Int32Array, b: Int32Array): number => a.filter((x) => b.includes(x)).length;

test('encoder: neighbouring buckets share all bits but one, distant ones almost none; any value encodes', () => {
  const e = new ScalarEncoder(400, 21, 0.5, 10, 42);
  const a = e.encode(10);
  assert.equal(a.length, 21);
  assert.ok(a.every((b, i) => b >= 0 && b < 400 && (i === 0 || b > a[i - 1]!)), 'distinct ascending bits');
  assert.deepEqual(e.encode(10.2), a, 'same bucket');
  assert.ok(overlap(a, e.encode(10.5)) >= 19, 'next bucket');
  assert.ok(overlap(a, e.encode(12)) >= 15 && overlap(a, e.encode(12)) <= 18, 'four buckets away');
  assert.ok(overlap(a, e.encode(40)) <= 4, 'sixty buckets away');
  assert.equal(e.encode(1e300).length > 0, true);
});

test('spatial pooler: `active` winners, the same for the same input, similar for similar inputs', () => {
  const sp = new SpatialPooler({ inputSize: 400, columns: 512, active: 10, potential: 0.8, connected: 0.2, increment: 0.003, decrement: 0.0005, seed: 1 });
  const e = new ScalarEncoder(400, 21, 1, 0, 2);
  const a = sp.compute(e.encode(0));
  assert.equal(a.length, 10);
  assert.deepEqual(sp.compute(e.encode(0)), a);
  assert.ok(overlap(a, sp.compute(e.encode(1))) > overlap(a, sp.compute(e.encode(50))), 'a near value shares more columns than a far one');
  // Learning strengthens the winners' synapses onto this input, so they keep winning it.
  for (let i = 0; i < 50; i++) sp.learn(e.encode(0), sp.compute(e.encode(0)));
  assert.deepEqual(sp.compute(e.encode(0)), a);
});

test('temporal memory: a repeated sequence becomes predicted; a new transition is not', () => {
  const tm = new TemporalMemory({
    columns: 256, cellsPerColumn: 8, activationThreshold: 6, minThreshold: 4, newSynapses: 8, initialPermanence: 0.21, connected: 0.5,
    increment: 0.1, decrement: 0.1, maxSegmentsPerCell: 32, maxSynapsesPerSegment: 16, maxSegments: 10_000, seed: 3,
  });
  const rng = new Rng(4);
  const symbols = Array.from({ length: 5 }, () => rng.sample(256, 10).sort());
  const unpredicted = (cols: Int32Array): number => cols.filter((c) => !tm.predicted[c]).length / cols.length;
  let last = 1;
  for (let rep = 0; rep < 30; rep++) {
    for (const s of symbols) {
      last = unpredicted(s);
      tm.compute(s);
    }
  }
  assert.equal(last, 0, 'the last symbol of the sequence is fully predicted');
  // After symbol 2, the memory predicts symbol 3's columns, not symbol 0's.
  tm.compute(symbols[2]!);
  assert.equal(unpredicted(symbols[3]!), 0);
  assert.equal(unpredicted(symbols[0]!), 1);
});

/** A sine of period 40; from `at`, 20 steps run it backwards (the same values in an order never seen). */
function reversedStretch(n: number, at: number): number[] {
  const xs = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / 40));
  for (let i = at; i < at + 20; i++) xs[i] = Math.sin((2 * Math.PI * (2 * at - i)) / 40);
  return xs;
}

test('htm: learns a periodic series, and a familiar value in an unfamiliar order scores high', () => {
  const xs = reversedStretch(2000, 1500);
  const h = new Htm({ columns: 512, calibration: 200, likelihood: false, threshold: new FixedThreshold(2) });
  const scores = xs.map((x) => h.update(x).score);
  const mean = (a: number, b: number): number => scores.slice(a, b).reduce((s, v) => s + v, 0) / (b - a);
  assert.ok(scores.slice(0, 200).every((s) => s === 0), 'nothing scored while calibrating');
  assert.ok(mean(200, 240) > 2 * mean(1300, 1500), `learning lowers the score: ${mean(200, 240)} then ${mean(1300, 1500)}`);
  assert.ok(mean(1300, 1500) < 0.25, `${mean(1300, 1500)}`);
  const inside = Math.max(...scores.slice(1500, 1520));
  assert.ok(inside > 0.8, `reversed stretch ${inside}`);
  // Every value of the reversed stretch lies in the range seen a thousand times: a value detector would not see it.
  const seen = xs.slice(0, 1500);
  assert.ok(xs.slice(1500, 1520).every((v) => v >= Math.min(...seen) && v <= Math.max(...seen)));
});

test("htm: by default it scores Numenta's anomaly likelihood of its raw score, on NAB's log scale", () => {
  const xs = reversedStretch(1200, 1000);
  const opts = { columns: 256, resolution: 0.05, calibration: 300, threshold: new FixedThreshold(0.5) };
  const scored = new Htm(opts);
  const raw = new Htm({ ...opts, likelihood: false });
  const al = new AnomalyLikelihood({ learning: 150, estimation: 150 });
  xs.forEach((x, t) => {
    const got = scored.update(x).score;
    // The first point has no encoder yet when scored (0), but the memory saw it unpredicted (raw 1).
    const r = t === 0 ? 1 : raw.update(x).score;
    if (t === 0) raw.update(x);
    const want = t === 0 ? 0 : AnomalyLikelihood.logScore(al.peek(r));
    al.update(r);
    assert.ok(Math.abs(got - want) < 1e-12, `point ${t}: ${got} vs ${want}`);
  });
});

test('htm: the resolution option skips calibration; buffers stay within the calibration; memory is capped', () => {
  const rng = new Rng(9);
  const noise = Array.from({ length: 600 }, () => rng.normal());
  const fixed = new Htm({ columns: 256, resolution: 0.1, maxSegments: 100, likelihood: false, threshold: new FixedThreshold(2) });
  const calibrating = new Htm({ columns: 256, calibration: 100, threshold: new FixedThreshold(2) });
  for (let i = 0; i < noise.length; i++) {
    const r = fixed.update(noise[i]!);
    if (i === 1) assert.equal(r.score, 1, 'scores from the second point: nothing is predicted yet');
    const c = calibrating.update(noise[i]!);
    if (i < 100) assert.equal(c.score, 0, 'nothing scored while calibrating');
    assert.ok(calibrating.bufferedValues() <= 100 && fixed.bufferedValues() === 0);
    assert.ok(fixed.segments()[0]! <= 100, `${fixed.segments()[0]} segments`);
  }
  assert.ok(fixed.segments()[0]! > 80, 'noise fills the segment budget, which then forgets');
});

test('htm: JSON round trip continues identically, mid-calibration and after', () => {
  const xs = reversedStretch(700, 500);
  for (const cut of [0, 50, 400]) {
    const a = new Htm({ columns: 256, calibration: 100, threshold: new FixedThreshold(0.9) });
    const b0 = new Htm({ columns: 256, calibration: 100, threshold: new FixedThreshold(0.9) });
    for (const x of xs.slice(0, cut)) {
      a.update(x);
      b0.update(x);
    }
    const b = Htm.fromJSON(JSON.parse(JSON.stringify(b0.toJSON())));
    assert.deepEqual(
      xs.slice(cut).map((x) => b.update(x)),
      xs.slice(cut).map((x) => a.update(x)),
      `cut ${cut}`,
    );
  }
  const two = new Htm({ columns: 256, calibration: 10, threshold: new FixedThreshold(0.9) });
  for (let i = 0; i < 30; i++) two.update(Float64Array.of(Math.sin(i), i % 3));
  const per = two.explain(Float64Array.of(0.5, 1));
  assert.equal(two.scoreOne(Float64Array.of(0.5, 1)), Math.max(per[0]!, per[1]!));
  assert.throws(() => two.update(1), /channels/);
});

test('htm: bad options and states are rejected', () => {
  assert.throws(() => new Htm({ resolution: 0 }), /resolution must be a positive number/);
  assert.throws(() => new Htm({ calibration: 1 }), OptionsError);
  assert.throws(() => new Htm({ columns: 10 }), /columns must be a whole number >= 256/);
  assert.throws(() => new Htm({ seed: 1.5 }), OptionsError);
  assert.throws(() => new Htm({ ensemble: 0 }), /ensemble must be a whole number >= 1/);
  assert.throws(() => new Htm({ columns: 256 }).update(NaN), FormatError);
  const h = new Htm({ columns: 256, calibration: 10, threshold: new FixedThreshold(1) });
  for (let i = 0; i < 20; i++) h.update(i % 4);
  const state = JSON.parse(JSON.stringify(h.toJSON()));
  state.state.channelStates[0].members[0].tm.synPre[0] = 1e9;
  assert.throws(() => Htm.fromJSON(state), /inconsistent temporal memory state/);
  assert.throws(() => Htm.fromJSON({ format: 'vigil-stream', version: 1, name: 'discord', state: {} }), /not a htm stream state/);
});
