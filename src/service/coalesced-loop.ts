/**
 * A background pass that runs one at a time: a wake while a pass runs asks for one more pass
 * after it, however many wakes came, so a burst of commits costs one pass, not one each. The
 * scorer and the outbox sender both run this way; a poll timer catches work another process
 * committed (or a retry falling due) without a wake.
 */
export class CoalescedLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private stoppedFlag = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** One pass; it may look at `stopped` to end early. */
    private readonly pass: () => Promise<void>,
    /** A pass that threw (the next wake or poll runs it again). */
    private readonly onError: (e: unknown) => void,
  ) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** The pass in flight, if any. */
  get current(): Promise<void> | null {
    return this.running;
  }

  /** Wakes every `ms` (the timer does not keep the process alive), and once now. */
  poll(ms: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.wake(), ms);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.stoppedFlag) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
      });
  }

  /** No more passes; resolves once the one in flight has ended. */
  async stop(): Promise<void> {
    this.stoppedFlag = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && !this.stoppedFlag);
  }
}
