import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoalescedLoop } from './coalesced-loop.js';

/** A pass that waits until released, counting how often it ran. */
function gatedPass(): { pass: () => Promise<void>; runs: () => number; release: () => void } {
  let runs = 0;
  let open: (() => void) | null = null;
  return {
    pass: () => {
      runs++;
      return new Promise<void>((r) => (open = r));
    },
    runs: () => runs,
    release: () => {
      const o = open;
      open = null;
      o?.();
    },
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('wakes during a pass coalesce into one more pass', async () => {
  const g = gatedPass();
  const loop = new CoalescedLoop(g.pass, (e) => assert.fail(String(e)));
  loop.wake();
  await turn();
  assert.equal(g.runs(), 1);
  for (let i = 0; i < 5; i++) loop.wake();
  g.release();
  await turn();
  assert.equal(g.runs(), 2, 'five wakes in a pass ask for exactly one more');
  g.release();
  await loop.current;
  assert.equal(loop.current, null);
  assert.equal(g.runs(), 2);
});

test('stop waits for the pass in flight and runs no more', async () => {
  const g = gatedPass();
  const loop = new CoalescedLoop(g.pass, (e) => assert.fail(String(e)));
  loop.wake();
  loop.wake();
  let stopped = false;
  const stopping = loop.stop().then(() => (stopped = true));
  await turn();
  assert.equal(stopped, false, 'the pass in flight is not abandoned');
  assert.equal(loop.stopped, true);
  g.release();
  await stopping;
  loop.wake();
  await turn();
  assert.equal(g.runs(), 1, 'neither the pending wake nor a later one runs a pass');
});

test('a pass that throws goes to onError and the next wake runs again', async () => {
  const errors: unknown[] = [];
  let n = 0;
  const loop = new CoalescedLoop(async () => {
    n++;
    if (n === 1) throw new Error('boom');
  }, (e) => errors.push(e));
  loop.wake();
  await loop.current;
  assert.equal((errors[0] as Error).message, 'boom');
  loop.wake();
  await loop.current;
  assert.equal(n, 2);
  assert.equal(errors.length, 1);
});
