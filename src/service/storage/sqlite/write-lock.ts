/**
 * The turn at writing, shared by one process's connections to one database (the request thread's
 * and the scorer thread's), in shared memory. SQLite lets one connection write at a time, and a
 * connection that finds the database locked sleeps 1, 2, 5, 10, ... ms before it tries again
 * (busy_timeout): under batched ingest the scorer's thread spent most of its time asleep there and
 * fell further and further behind. Waiting here instead wakes a writer the moment the other is
 * done. Connections of other processes still meet SQLite's own lock, as before.
 *
 * The cell holds 0 when free, else the holder's thread id + 1, so a thread that died holding it
 * (a scorer thread terminated mid-write) can be released by the thread that saw it exit.
 */
import { threadId } from 'node:worker_threads';

/** Longest single wait before the cell is looked at again (a lost wake-up costs at most this). */
const WAIT_MS = 20;
/**
 * Past this the turn is taken anyway: its holder is taken to have died (a thread cannot see
 * another's end while it waits here) and SQLite's own lock, which the turn only spares, decides.
 */
const GIVE_UP_MS = 2000;

export class WriteLock {
  readonly buffer: SharedArrayBuffer;
  private readonly cell: Int32Array;
  private readonly me = threadId + 1;
  private depth = 0;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer;
    this.cell = new Int32Array(buffer, 0, 1);
  }

  /** Runs `write` (a whole write transaction) holding the turn; nested calls in the same thread share it. */
  hold<T>(write: () => T): T {
    if (this.depth === 0) {
      const start = Date.now();
      for (;;) {
        const holder = Atomics.compareExchange(this.cell, 0, 0, this.me);
        if (holder === 0) break;
        if (Date.now() - start > GIVE_UP_MS) {
          Atomics.store(this.cell, 0, this.me);
          break;
        }
        Atomics.wait(this.cell, 0, holder, WAIT_MS);
      }
    }
    this.depth++;
    try {
      return write();
    } finally {
      if (--this.depth === 0) {
        Atomics.store(this.cell, 0, 0);
        Atomics.notify(this.cell, 0);
      }
    }
  }

  /** Frees the turn if the thread `deadThreadId` held it when it ended. */
  releaseIfHeldBy(deadThreadId: number): void {
    if (Atomics.compareExchange(this.cell, 0, deadThreadId + 1, 0) === deadThreadId + 1) Atomics.notify(this.cell, 0);
  }
}
