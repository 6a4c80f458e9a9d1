/**
 * A clock a test sets by hand, in memory shared by every thread that reads it: the scorer's thread
 * (where the quiet timer runs) gets its buffer and reads the very time the test set, with no message
 * in between, so nothing depends on how fast anything is. It counts its reads, so a test can wait
 * until the timer has looked at the time it set.
 */
export class SharedClock {
  /** [now in ms, reads] */
  private readonly cells: BigInt64Array;

  /** One more view of a clock, from its `buffer` (in another thread). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.cells = new BigInt64Array(buffer, 0, 2);
  }

  /** A new clock that reads `ms`. */
  static at(ms: number): SharedClock {
    const c = new SharedClock(new SharedArrayBuffer(16));
    c.set(ms);
    return c;
  }

  readonly now = (): number => {
    Atomics.add(this.cells, 1, 1n);
    return Number(Atomics.load(this.cells, 0));
  };

  set(ms: number): void {
    Atomics.store(this.cells, 0, BigInt(Math.round(ms)));
  }

  advance(ms: number): void {
    Atomics.add(this.cells, 0, BigInt(Math.round(ms)));
  }

  /** How many times the clock was read, in every thread. */
  get reads(): number {
    return Number(Atomics.load(this.cells, 1));
  }
}
