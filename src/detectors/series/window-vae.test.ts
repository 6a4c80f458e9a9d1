import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { windowVae } from './window-vae.js';

test('window-vae: a step far outside the training range scores finite and on top (the log-variance is bounded as in the loss)', async () => {
  const rng = new Rng(5);
  const series = (n: number) => {
    const s = matrix(n, 2);
    for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) s.data[i * 2 + c] = Math.sin(i / 5 + c) + 0.05 * rng.normal();
    return s;
  };
  const d = windowVae({ window: 8, hiddenSizes: [8], latent: 2, epochs: 3, seed: 1 });
  await d.fit(series(200));
  const probe = series(60);
  probe.data[40 * 2 + 1] = 1e5;
  const { score } = await d.score(probe);
  assert.ok(score.every(Number.isFinite), `scores ${[...score.subarray(38, 44)]}`);
  let top = 0;
  for (let i = 0; i < score.length; i++) if (score[i]! > score[top]!) top = i;
  assert.ok(top >= 40 && top < 48, `top score at step ${top}`);
});
