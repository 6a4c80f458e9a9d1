import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Rng } from '../core/random.js';
import { scratch, vigil, vigilWithInput } from './harness.js';

const p = scratch('vigil-columns-');

/** Transactions as people export them: an id, a timestamp, a 120-level city, amounts and a 0/1 label. */
function writeData(): void {
  const rng = new Rng(8);
  const lines = ['id,timestamp,city,amount,hour,label'];
  const noTime = ['id,city,amount,hour'];
  for (let i = 0; i < 300; i++) {
    const fraud = i % 50 === 7;
    const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const city = i < 240 ? `c${i % 60}` : `r${i}`;
    const amount = (fraud ? 900 + rng.next() * 100 : Math.exp(3 + 0.5 * rng.normal())).toFixed(2);
    const hour = fraud ? 3 : 8 + (i % 12);
    lines.push(`t${i},${at},${city},${amount},${hour},${fraud ? 1 : 0}`);
    noTime.push(`t${i},${city},${amount},${hour}`);
  }
  writeFileSync(p('tx.csv'), lines.join('\n') + '\n');
  writeFileSync(p('tx-no-time.csv'), noTime.join('\n') + '\n');
  const series = ['timestamp,value'];
  for (let t = 0; t < 2880; t++) series.push(`${new Date(Date.UTC(2026, 0, 1) + t * 300_000).toISOString()},${(Math.sin((2 * Math.PI * t) / 288) + 0.3 * rng.normal()).toFixed(4)}`);
  writeFileSync(p('daily.csv'), series.join('\n') + '\n');
  const noise = ['timestamp,value'];
  for (let t = 0; t < 600; t++) noise.push(`${new Date(Date.UTC(2026, 0, 1) + t * 300_000).toISOString()},${rng.normal().toFixed(4)}`);
  writeFileSync(p('noise.csv'), noise.join('\n') + '\n');
}

describe('fit says what it chose; inspect shows it', () => {
  before(writeData);

  test('fit without --label and --id: the column report, and a warning for each classic mistake', () => {
    const r = vigil('fit', '--data', p('tx.csv'), '--detector', 'iforest', '--out', p('careless.vigil'));
    assert.equal(r.code, 0, r.err);
    const out = r.out.split('\n');
    assert.equal(out[0], 'columns (6): 5 features, 1 timestamp');
    assert.ok(out.some((l) => /^ {2}feature categorical +id \[300 levels, capped at 50\], city \[120 levels, capped at 50\]$/.test(l)), r.out);
    assert.ok(out.some((l) => /^ {2}feature numeric +amount, hour, label$/.test(l)), r.out);
    assert.ok(out.some((l) => /^ {2}timestamp, not a feature +timestamp \(holds dates and times\)$/.test(l)), r.out);
    const warnings = r.err.trim().split('\n');
    assert.deepEqual(warnings, [
      "vigil: warning: 'id' looks like an id (a different text in every row) but is used as a feature: leave it out with --ignore id (or name it with --id id)",
      "vigil: warning: 'city' has 120 levels, capped at the 50 most frequent: the other 70 (33% of rows) share one '<other>' feature",
      "vigil: warning: 'label' holds only 0/1 and is named like a label, but is used as a feature: if it is the label, pass --label label",
    ]);
  });

  test('fit with --label, --id and --ignore: their roles and reasons, no warning left but the cap', () => {
    const r = vigil('fit', '--data', p('tx.csv'), '--detector', 'iforest', '--label', 'label', '--id', 'id', '--ignore', 'city', '--contamination', 'auto', '--out', p('m.vigil'));
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, /^columns \(6\): 2 features, 1 label, 1 id, 1 timestamp, 1 ignored\n/);
    assert.match(r.out, /\n {2}label +label \(given by --label\)\n/);
    assert.match(r.out, /\n {2}id +id \(given by --id\)\n/);
    assert.match(r.out, /\n {2}ignored +city \(given by --ignore\)\n/);
    assert.match(r.out, /fitted iforest on 300 rows x 2 features/);
    assert.match(r.out, /threshold \S+ \(auto: (far-out fence Q3 \+ 3 IQR of the training scores|capped to flag at most 5% of training rows)\): \d+ training rows above it/);
  });

  test('columns that are not features are not needed to score: no timestamp, no label', () => {
    const r = vigil('score', '--model', p('m.vigil'), '--data', p('tx-no-time.csv'), '--id', 'id');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim().split('\n').length, 301);
    const lines = '{"id":"x1","amount":25.5,"hour":14}\n{"id":"x2","amount":990,"hour":3}\n';
    const s = vigilWithInput(lines, 'stream', '--model', p('m.vigil'));
    assert.equal(s.code, 0, s.err);
    assert.equal(s.out.trim().split('\n').length, 2, s.out);
  });

  test('inspect: options, columns, threshold, training metrics and version; --json for machines', () => {
    const r = vigil('inspect', p('m.vigil'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\S+m\.vigil: tabular model, saved by vigil \d+\.\d+\.\d+ at \d{4}-\d\d-\d\dT/);
    assert.match(r.out, /\ndetector: iforest \(nEstimators=100, maxSamples=256, seed=0\)\n/);
    assert.match(r.out, /\ncolumns \(6\): 2 features, 1 label, 1 id, 1 timestamp, 1 ignored\n/);
    assert.match(r.out, /\nthreshold: \S+ \(auto: /);
    assert.match(r.out, /\ntraining: 300 rows x 2 features, fitted in \d+\.\d\ds; \d+ rows \(\d+\.\d\d%\) above the threshold\n/);
    assert.match(r.out, /\ntraining scores: min \S+, p25 \S+, median \S+, p75 \S+, p90 \S+, p99 \S+, max \S+\n/);
    const j = JSON.parse(vigil('inspect', p('m.vigil'), '--json').out);
    assert.equal(j.kind, 'tabular');
    assert.match(j.vigil, /^\d+\.\d+\.\d+/);
    assert.equal(j.detector.name, 'iforest');
    assert.equal(j.detector.explains, false);
    assert.deepEqual(j.features, ['amount', 'hour']);
    assert.deepEqual(
      j.columns.map((c: { name: string; role: string }) => `${c.name}:${c.role}`),
      ['timestamp:timestamp', 'amount:feature', 'hour:feature', 'label:label', 'id:id', 'city:ignored'],
    );
    assert.equal(j.threshold.spec.kind, 'auto');
    assert.equal(j.training.rows, 300);
    assert.equal(j.training.flagged, Math.round(j.training.rate * 300));
    const careless = JSON.parse(vigil('inspect', p('careless.vigil'), '--json').out);
    assert.deepEqual(careless.warnings.map((w: { code: string }) => w.code), ['id-like', 'capped', 'label-like']);
  });

  test('a seasonal fit prints the period it found, and inspect shows it', () => {
    const r = vigil('fit', '--data', p('daily.csv'), '--detector', 'seasonal', '--out', p('s.vigil'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /cutoff \S+ over 2880 steps, period 288 steps \(found by autocorrelation\)/);
    const given = vigil('fit', '--data', p('daily.csv'), '--detector', 'seasonal', '--set', 'period=288', '--out', p('s2.vigil'));
    assert.match(given.out, /period 288 steps \(given\)/);
    const none = vigil('fit', '--data', p('noise.csv'), '--detector', 'seasonal', '--out', p('s3.vigil'));
    assert.match(none.out, /over 600 steps, no season found by autocorrelation \(period 1: a global robust z-score\)/);
    const i = vigil('inspect', p('s.vigil'));
    assert.equal(i.code, 0, i.err);
    assert.match(i.out, /series model, saved by vigil/);
    assert.match(i.out, /period 288 \(found\)/);
    assert.equal(JSON.parse(vigil('inspect', p('s.vigil'), '--json').out).series[0].period, 288);
  });

  test('inspect on a missing or non-model file is one line, exit 2', () => {
    const missing = vigil('inspect', p('nope.vigil'));
    assert.equal(missing.code, 2);
    assert.equal(missing.err, `vigil: no such model file: ${p('nope.vigil')}\n`);
    const notModel = vigil('inspect', p('tx.csv'));
    assert.equal(notModel.code, 2);
    assert.equal(notModel.err.trim().split('\n').length, 1);
  });
});
