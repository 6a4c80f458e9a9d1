import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { matrix, type Matrix } from '../../core/matrix.js';
import { Rng } from '../../core/random.js';
import { defaultEngine, withModel, type Engine, type LossSpec, type ModelSpec } from '../engine.js';
import { initialWeights, type Weights } from '../init.js';
import { parseLoopOptions } from '../loop.js';
import { adversarialNetworks, parseLossSpec, parseModelSpec } from '../spec.js';
import { DataError, OptionsError } from '../../core/errors.js';

function randn(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const m = matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

const dense = (input: number, ...units: number[]) => ({
  input: [input],
  layers: units.map((u, i) => ({ type: 'dense' as const, units: u, activation: i < units.length - 1 ? ('tanh' as const) : ('linear' as const) })),
});

/** GANomaly on 5 features, a 2-value code, a 3-feature discriminator; no batch norm, so only the optimizers move weights. */
const spec: ModelSpec = parseModelSpec({
  networks: {
    encoder: dense(5, 4, 2),
    decoder: dense(2, 4, 5),
    reEncoder: dense(5, 4, 2),
    discriminator: dense(5, 3),
    discriminatorHead: dense(3, 1),
  },
});

const ganLoss = (w: { adversarialWeight?: number; contextualWeight?: number; encoderWeight?: number } = {}): LossSpec => ({
  kind: 'ganomaly',
  encoder: 'encoder',
  decoder: 'decoder',
  reEncoder: 'reEncoder',
  discriminator: 'discriminator',
  discriminatorHead: 'discriminatorHead',
  latent: 2,
  adversarialWeight: w.adversarialWeight ?? 1,
  contextualWeight: w.contextualWeight ?? 50,
  encoderWeight: w.encoderWeight ?? 1,
  score: 'latent',
});

const isDisc = (name: string): boolean => name.startsWith('discriminator.') || name.startsWith('discriminatorHead.');

/** Which parameters differ between two weight sets, split by player. */
function changed(a: Weights, b: Weights): { generator: string[]; discriminator: string[] } {
  const names = Object.keys(a).filter((k) => !a[k]!.every((v, i) => v === b[k]![i]));
  return { generator: names.filter((n) => !isDisc(n)), discriminator: names.filter(isDisc) };
}

let engine: Engine;
before(async () => {
  engine = await defaultEngine();
});

/** One training step (2 rows, batch 2, 1 epoch) from the seeded initial weights; the weights before and after. */
async function oneStep(loss: LossSpec, x = randn(2, 5, 1)): Promise<{ w0: Weights; w1: Weights }> {
  return withModel(engine, spec, 3, async (m) => {
    const w0 = engine.weights(m);
    await engine.train(m, { x }, loss, parseLoopOptions({ epochs: 1, batchSize: 2, learningRate: 0.01 }));
    return { w0, w1: engine.weights(m) };
  });
}

describe('adversarial training (ganomaly loss)', () => {
  test('the discriminator networks are the ones the loss names', () => {
    assert.deepEqual(adversarialNetworks(ganLoss()), ['discriminator', 'discriminatorHead']);
    assert.equal(adversarialNetworks({ kind: 'mse', network: 'main' }), undefined);
  });

  test('the loss is checked against its networks', () => {
    const bad = (raw: unknown, model: ModelSpec, re: RegExp, type: typeof OptionsError | typeof DataError = OptionsError) =>
      assert.throws(() => parseLossSpec(raw, model, 5), (e: unknown) => e instanceof type && re.test((e as Error).message));
    assert.equal(parseLossSpec({ kind: 'ganomaly', latent: 2 }, spec, 5).kind, 'ganomaly');
    bad({ kind: 'ganomaly', latent: 3 }, spec, /encoder 'encoder' gives 2 values per row, the latent size is 3/);
    bad({ kind: 'ganomaly', latent: 2, discriminatorHead: 'critic' }, spec, /needs a network 'critic'/);
    bad({ kind: 'ganomaly', latent: 2, reEncoder: 'encoder' }, spec, /must be distinct/);
    bad({ kind: 'ganomaly', latent: 2, score: 'both' }, spec, /score/);
    bad({ kind: 'ganomaly', latent: 2, contextualWeight: -1 }, spec, /contextualWeight/);
    const wideHead = parseModelSpec({ networks: { ...spec.networks, discriminatorHead: dense(3, 2) } });
    bad({ kind: 'ganomaly', latent: 2 }, wideHead, /discriminatorHead 'discriminatorHead' gives 2 values per row, a real\/fake logit needs 1/);
    assert.throws(() => parseLossSpec({ kind: 'ganomaly', latent: 2 }, spec, 6), DataError);
  });

  test('one step moves every generator and every discriminator parameter', async () => {
    const { w0, w1 } = await oneStep(ganLoss());
    const c = changed(w0, w1);
    assert.deepEqual(c.generator.sort(), Object.keys(w0).filter((n) => !isDisc(n)).sort());
    assert.deepEqual(c.discriminator.sort(), Object.keys(w0).filter(isDisc).sort());
  });

  test('with a zero generator objective only the discriminator moves: its step leaves the generator alone', async () => {
    const { w0, w1 } = await oneStep(ganLoss({ adversarialWeight: 0, contextualWeight: 0, encoderWeight: 0 }));
    const c = changed(w0, w1);
    assert.deepEqual(c.generator, []);
    assert.ok(c.discriminator.length > 0);
  });

  test("the generator's step leaves the discriminator alone, though its objective depends on it", async () => {
    // The discriminator's step sees the generator's output from before the generator's update,
    // so its update cannot depend on the feature-matching weight unless the generator's
    // optimizer also touched the discriminator.
    const plain = await oneStep(ganLoss({ adversarialWeight: 0 }));
    const matched = await oneStep(ganLoss({ adversarialWeight: 10 }));
    for (const k of Object.keys(plain.w1).filter(isDisc)) assert.deepEqual(matched.w1[k], plain.w1[k], k);
    assert.ok(changed(plain.w1, matched.w1).generator.length > 0, 'the feature-matching term did move the generator');
  });

  test('with feature matching off, the generator does not depend on the discriminator at all', async () => {
    // Training from the same generator weights but another discriminator leaves the generator bit-identical.
    const x = randn(40, 5, 2);
    const loss = ganLoss({ adversarialWeight: 0 });
    const train = (w: Weights) =>
      withModel(engine, spec, w, async (m) => {
        await engine.train(m, { x }, loss, parseLoopOptions({ epochs: 3, batchSize: 8, learningRate: 0.01 }));
        return engine.weights(m);
      });
    const a = initialWeights(spec, 1);
    const other = initialWeights(spec, 2);
    const b = { ...a, ...Object.fromEntries(Object.entries(other).filter(([k]) => isDisc(k))) };
    const [wa, wb] = [await train(a), await train(b)];
    assert.deepEqual(changed(wa, wb).generator, []);
    assert.ok(changed(wa, wb).discriminator.length > 0);
  });

  test('training reports the generator objective, scores with ||z - z\'||^2, leaks nothing and is seeded', async () => {
    const x = randn(60, 5, 4);
    const live = engine.liveBuffers();
    const run = () =>
      withModel(engine, spec, 5, async (m) => {
        const h = await engine.train(m, { x }, ganLoss(), parseLoopOptions({ epochs: 4, batchSize: 16, validationSplit: 0.2, seed: 2 }));
        const s = await engine.rowLoss(m, { x }, ganLoss());
        const z = await engine.forward(m, x, { network: 'encoder' });
        const zHat = await engine.forward(m, await engine.forward(m, z, { network: 'decoder' }), { network: 'reEncoder' });
        for (let i = 0; i < x.rows; i++) {
          const want = ((z.data[2 * i]! - zHat.data[2 * i]!) ** 2 + (z.data[2 * i + 1]! - zHat.data[2 * i + 1]!) ** 2) / 2;
          assert.ok(Math.abs(s[i]! - want) <= 1e-5 * Math.max(1, want), `row ${i}: ${s[i]} vs ${want}`);
        }
        return { h, s };
      });
    const a = await run();
    assert.equal(engine.liveBuffers(), live);
    assert.equal(a.h.epochs.length, 4);
    // The generator objective is dominated by 50 x mean|x - x'| (about 50 x 0.8 on N(0, 1) rows at the start).
    assert.ok(a.h.epochs[0]!.loss > 10, `loss ${a.h.epochs[0]!.loss}`);
    assert.ok(a.h.epochs.every((e) => e.valLoss !== undefined && e.valLoss > 10));
    const b = await run();
    assert.deepEqual(b.s, a.s);
    assert.deepEqual(b.h, a.h);
  });
});
