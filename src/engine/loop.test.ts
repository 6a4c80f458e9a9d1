import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, DataError, OptionsError } from '../core/errors.js';
import { parseLoopOptions, runLoop, type TrainSession } from './loop.js';
import type { Weights } from './init.js';

/** An engine-free session: records what the loop asks for and reports scripted losses. */
class FakeSession implements TrainSession {
  steps: { idx: number[]; epoch: number; seed: number }[] = [];
  epoch = 0;
  restored: Weights | undefined;
  constructor(
    private readonly trainLoss: (epoch: number) => number,
    private readonly valLoss: (epoch: number) => number = trainLoss,
    readonly labels?: Uint8Array,
  ) {}
  async step(idx: Int32Array, epoch: number, seed: number): Promise<void> {
    this.steps.push({ idx: Array.from(idx), epoch, seed });
    this.epoch = epoch;
  }
  async epochLoss(): Promise<number> {
    return this.trainLoss(this.epoch);
  }
  async evaluate(): Promise<number> {
    return this.valLoss(this.epoch);
  }
  snapshot(): Weights {
    return { epoch: Float32Array.of(this.epoch) };
  }
  restore(w: Weights): void {
    this.restored = w;
  }
}

describe('training loop', () => {
  test('mini-batches cover every training row once per epoch, in a seeded order', async () => {
    const s = new FakeSession(() => 1);
    const h = await runLoop(s, 10, parseLoopOptions({ epochs: 3, batchSize: 4, seed: 1 }));
    assert.equal(h.epochs.length, 3);
    for (let e = 0; e < 3; e++) {
      const rows = s.steps.filter((x) => x.epoch === e).flatMap((x) => x.idx);
      assert.deepEqual([...rows].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    const order = (e: number) => s.steps.filter((x) => x.epoch === e).flatMap((x) => x.idx);
    assert.notDeepEqual(order(0), order(1), 'reshuffled every epoch');
    const again = new FakeSession(() => 1);
    await runLoop(again, 10, parseLoopOptions({ epochs: 3, batchSize: 4, seed: 1 }));
    assert.deepEqual(again.steps, s.steps, 'same seed, same batches and step seeds');
  });

  test('a trailing batch of one row is skipped', async () => {
    const s = new FakeSession(() => 1);
    await runLoop(s, 9, parseLoopOptions({ epochs: 1, batchSize: 4 }));
    assert.deepEqual(
      s.steps.map((x) => x.idx.length),
      [4, 4],
    );
  });

  test('the validation split is held out of training', async () => {
    const s = new FakeSession(() => 1);
    const h = await runLoop(s, 20, parseLoopOptions({ epochs: 2, batchSize: 8, validationSplit: 0.25 }));
    assert.equal(h.validationRows, 5);
    assert.equal(h.trainRows, 15);
    assert.equal(new Set(s.steps.flatMap((x) => x.idx)).size, 15);
    assert.ok(h.epochs.every((e) => e.valLoss === 1));
  });

  test('early stopping stops on a flat validation loss after `patience` epochs', async () => {
    const s = new FakeSession(
      (e) => 1 / (e + 1), // training loss keeps falling
      () => 0.5, // validation loss is flat
    );
    const h = await runLoop(s, 50, parseLoopOptions({ epochs: 100, patience: 3, validationSplit: 0.2 }));
    assert.equal(h.epochs.length, 4, 'best at epoch 1, then 3 epochs without improvement');
    assert.equal(h.stoppedEarly, true);
    assert.equal(h.bestEpoch, 1);
    assert.deepEqual(s.restored, { epoch: Float32Array.of(0) }, 'the best epoch is restored');
  });

  test('early stopping keeps going while the monitored loss improves by more than minDelta', async () => {
    const s = new FakeSession((e) => 10 - e * 0.001);
    const h = await runLoop(s, 20, parseLoopOptions({ epochs: 8, patience: 2, minDelta: 0.01 }));
    assert.equal(h.epochs.length, 3);
    const t = new FakeSession((e) => 10 - e);
    const g = await runLoop(t, 20, parseLoopOptions({ epochs: 8, patience: 2, minDelta: 0.01 }));
    assert.equal(g.epochs.length, 8);
    assert.equal(g.stoppedEarly, false);
    assert.equal(g.bestEpoch, 8);
    assert.equal(t.restored, undefined);
  });

  test('progress is reported once per epoch with losses and timing', async () => {
    const seen: number[] = [];
    await runLoop(new FakeSession((e) => e), 10, parseLoopOptions({ epochs: 4, validationSplit: 0.2 }), {
      onEpoch: (p) => {
        seen.push(p.epoch);
        assert.equal(p.epochs, 4);
        assert.equal(p.loss, p.epoch - 1);
        assert.equal(typeof p.valLoss, 'number');
        assert.ok(p.elapsedMs >= 0 && p.etaMs >= 0);
      },
    });
    assert.deepEqual(seen, [1, 2, 3, 4]);
  });

  test('an AbortSignal stops training with CancelledError', async () => {
    const ac = new AbortController();
    const s = new FakeSession(() => 1);
    await assert.rejects(
      runLoop(s, 100, parseLoopOptions({ epochs: 50 }), { signal: ac.signal, onEpoch: (p) => p.epoch === 2 && ac.abort() }),
      (e: unknown) => e instanceof CancelledError && e.name === 'CancelledError' && /cancelled in epoch 3 of 50/.test(e.message),
    );
    assert.equal(Math.max(...s.steps.map((x) => x.epoch)), 1, 'no step after the abort');
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(runLoop(new FakeSession(() => 1), 10, parseLoopOptions({}), { signal: pre.signal }), CancelledError);
  });

  test('a NaN loss is reported as divergence', async () => {
    await assert.rejects(runLoop(new FakeSession(() => NaN), 10, parseLoopOptions({ epochs: 2 })), (e: unknown) => e instanceof OptionsError && /diverged/.test((e as Error).message));
  });

  test('bad options and too little data are rejected clearly', async () => {
    assert.throws(() => parseLoopOptions({ epochs: 0 }), (e: unknown) => e instanceof OptionsError && /epochs/.test((e as Error).message));
    assert.throws(() => parseLoopOptions({ learningRate: -1 }), OptionsError);
    assert.throws(() => parseLoopOptions({ momentum: 0.9 }), (e: unknown) => e instanceof OptionsError && /momentum/.test((e as Error).message));
    await assert.rejects(runLoop(new FakeSession(() => 1), 1, parseLoopOptions({})), DataError);
    await assert.rejects(runLoop(new FakeSession(() => 1), 3, parseLoopOptions({ validationSplit: 0.2 })), DataError);
  });

  describe('balanced sampling', () => {
    // 40 rows, rows 3, 17 and 30 labeled 1.
    const labels = new Uint8Array(40);
    for (const i of [3, 17, 30]) labels[i] = 1;
    const opts = (extra: Record<string, unknown> = {}) => parseLoopOptions({ epochs: 2, batchSize: 8, sampling: 'balanced', stepsPerEpoch: 5, seed: 3, ...extra });

    test('every batch is half labeled rows, half the others, drawn with replacement, stepsPerEpoch per epoch', async () => {
      const s = new FakeSession(() => 1, undefined, labels);
      await runLoop(s, 40, opts());
      assert.equal(s.steps.length, 10);
      assert.deepEqual(s.steps.map((x) => x.epoch), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
      for (const { idx } of s.steps) {
        assert.equal(idx.length, 8);
        assert.ok(idx.slice(0, 4).every((i) => labels[i] === 1), `first half labeled: ${idx}`);
        assert.ok(idx.slice(4).every((i) => labels[i] === 0), `second half unlabeled: ${idx}`);
      }
      const drawn = new Set(s.steps.flatMap((x) => x.idx.slice(0, 4)));
      assert.deepEqual([...drawn].sort((a, b) => a - b), [3, 17, 30], 'every labeled row is drawn, each many times');
      const again = new FakeSession(() => 1, undefined, labels);
      await runLoop(again, 40, opts());
      assert.deepEqual(again.steps, s.steps, 'same seed, same batches');
      const other = new FakeSession(() => 1, undefined, labels);
      await runLoop(other, 40, opts({ seed: 4 }));
      assert.notDeepEqual(other.steps.map((x) => x.idx), s.steps.map((x) => x.idx));
    });

    test('without stepsPerEpoch an epoch is rows / batchSize batches; validation rows are never drawn', async () => {
      const s = new FakeSession(() => 1, undefined, labels);
      const h = await runLoop(s, 40, parseLoopOptions({ epochs: 1, batchSize: 8, sampling: 'balanced', validationSplit: 0.25, seed: 1 }));
      assert.equal(s.steps.length, 3, '30 training rows / 8');
      assert.equal(h.validationRows, 10);
      // The split depends on the seed only: a shuffled run with the same seed trains on the same 30 rows.
      const shuffled = new FakeSession(() => 1);
      await runLoop(shuffled, 40, parseLoopOptions({ epochs: 1, batchSize: 8, validationSplit: 0.25, seed: 1 }));
      const trainRows = new Set(shuffled.steps.flatMap((x) => x.idx));
      assert.equal(trainRows.size, 30);
      assert.ok(s.steps.every((x) => x.idx.every((i) => trainRows.has(i))), 'balanced batches draw from the training rows only');
    });

    test('missing labels, no labeled row, all rows labeled and stepsPerEpoch without balance are rejected', async () => {
      await assert.rejects(runLoop(new FakeSession(() => 1), 40, opts()), (e: unknown) => e instanceof DataError && /needs 0\/1 labels/.test((e as Error).message));
      await assert.rejects(runLoop(new FakeSession(() => 1, undefined, new Uint8Array(40)), 40, opts()), (e: unknown) => e instanceof DataError && /at least one training row labeled 1/.test((e as Error).message));
      await assert.rejects(runLoop(new FakeSession(() => 1, undefined, new Uint8Array(40).fill(1)), 40, opts()), (e: unknown) => e instanceof DataError && /labeled 0/.test((e as Error).message));
      await assert.rejects(runLoop(new FakeSession(() => 1, undefined, new Uint8Array(5)), 40, opts()), (e: unknown) => e instanceof DataError && /5 labels for 40 rows/.test((e as Error).message));
      assert.throws(() => parseLoopOptions({ stepsPerEpoch: 5 }), (e: unknown) => e instanceof OptionsError && /balanced sampling only/.test((e as Error).message));
      assert.throws(() => parseLoopOptions({ sampling: 'stratified' }), (e: unknown) => e instanceof OptionsError && /sampling/.test((e as Error).message));
    });
  });
});
