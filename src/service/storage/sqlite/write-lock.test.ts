import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { WriteLock } from './write-lock.js';

/** A thread that takes the turn and then waits for `release` (or never lets go, when it is terminated). */
function holder(buffer: SharedArrayBuffer): { worker: Worker; held: Promise<void> } {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const cell = new Int32Array(workerData, 0, 1);
    const { threadId } = require('node:worker_threads');
    while (Atomics.compareExchange(cell, 0, 0, threadId + 1) !== 0) Atomics.wait(cell, 0, Atomics.load(cell, 0), 20);
    parentPort.postMessage('held');
    // Slot 1 marks the release, so the next writer can tell it came after.
    parentPort.on('message', () => { Atomics.store(new Int32Array(workerData, 4, 1), 0, 1); Atomics.store(cell, 0, 0); Atomics.notify(cell, 0); parentPort.postMessage('released'); });`;
  const worker = new Worker(src, { eval: true, workerData: buffer });
  const held = new Promise<void>((r) => worker.once('message', () => r()));
  return { worker, held };
}

test('writers take turns: a write waits while another thread holds the turn, and goes once it is let go', async () => {
  const lock = new WriteLock(new SharedArrayBuffer(8));
  const { worker, held } = holder(lock.buffer);
  await held;
  worker.postMessage('release');
  // This thread blocks in hold() until the other lets go; then the write runs.
  const released = lock.hold(() => Atomics.load(new Int32Array(lock.buffer, 4, 1), 0));
  assert.equal(released, 1, 'the write ran only after the other thread let go');
  assert.equal(Atomics.load(new Int32Array(lock.buffer), 0), 0, 'free again after the write');
  await worker.terminate();
});

test('a thread that ends holding the turn is released by whoever saw it end; nested holds in one thread share the turn', async () => {
  const lock = new WriteLock();
  const { worker, held } = holder(lock.buffer);
  await held;
  const id = worker.threadId;
  await worker.terminate();
  assert.equal(Atomics.load(new Int32Array(lock.buffer), 0), id + 1, 'still marked as held by the ended thread');
  lock.releaseIfHeldBy(id + 1000);
  assert.equal(Atomics.load(new Int32Array(lock.buffer), 0), id + 1, 'another id releases nothing');
  lock.releaseIfHeldBy(id);
  assert.equal(lock.hold(() => lock.hold(() => 'inner')), 'inner');
  assert.throws(() => lock.hold(() => { throw new Error('rolled back'); }), /rolled back/);
  assert.equal(Atomics.load(new Int32Array(lock.buffer), 0), 0, 'a write that threw lets go too');
});
