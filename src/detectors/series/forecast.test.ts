import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { OptionsError } from '../../core/errors.js';
import { tcn } from './tcn.js';
import { lstm } from './lstm.js';

/** A noisy sine, two channels, seeded. */
function sine(steps: number, seed: number) {
  const rng = new Rng(seed);
  const s = matrix(steps, 2);
  for (let i = 0; i < steps; i++) for (let c = 0; c < 2; c++) s.data[i * 2 + c] = Math.sin(i / 5 + c) + 0.1 * rng.normal();
  return s;
}

test('a forecaster scores the absolute prediction error as the square root of the squared one', async () => {
  const o = { dilations: [1, 2], kernelSize: 2, filters: 4, epochs: 2, batchSize: 32, seed: 3 };
  const train = sine(160, 1);
  const probe = sine(120, 2);
  const sq = tcn({ ...o });
  const ab = tcn({ ...o, error: 'absolute' });
  await sq.fit(train);
  await ab.fit(train);
  const s = await sq.score(probe);
  const a = await ab.score(probe);
  assert.equal(a.warmup, s.warmup);
  let positive = 0;
  for (let k = s.warmup * 2; k < s.channels.data.length; k++) {
    assert.ok(Math.abs(a.channels.data[k]! - Math.sqrt(s.channels.data[k]!)) < 1e-6, `channel value ${k}`);
    if (a.channels.data[k]! > 0) positive++;
  }
  assert.ok(positive > 0);
  // The joint score is still the sum over channels.
  const t = s.warmup + 5;
  assert.ok(Math.abs(a.score[t]! - (a.channels.data[t * 2]! + a.channels.data[t * 2 + 1]!)) < 1e-9);
});

test('the error option is squared by default and validated', () => {
  assert.equal(lstm({}).options['error'], 'squared');
  assert.equal(tcn({}).options['error'], 'squared');
  assert.throws(() => lstm({ error: 'cubed' } as never), OptionsError);
});
