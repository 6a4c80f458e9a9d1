/** A background task run every `ms` (never two runs at once); stop() waits for the run in progress. */
export interface Periodic {
  stop(): Promise<void>;
}

export function every(ms: number, run: () => Promise<unknown>, onError: (e: unknown) => void): Periodic {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= run()
      .then(() => undefined, onError)
      .finally(() => (running = null));
  }, ms);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
