import cliProgress from 'cli-progress';

export interface Progress {
  /**
   * A step whose share of the work is unknown (reading the data, fitting a detector that reports
   * nothing, saving): its line shows at once, since the step may hold the event loop until done.
   */
  phase(text: string): void;
  /** `done` of the total; `etaMs` is the work's own estimate of the time left, when it has one. */
  update(done: number, label?: string, etaMs?: number): void;
  stop(): void;
}

/** Wait this long before drawing a bar, so quick work prints nothing extra. */
const SHOW_AFTER_MS = 1000;

/** Whether progress may be drawn on `stream`: a terminal, and VIGIL_NO_PROGRESS unset. */
export function progressEnabled(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env['VIGIL_NO_PROGRESS'] === undefined;
}

const active = new Set<Progress>();

/** Takes every progress line off the terminal, so an error message starts on a clean line. */
export function stopProgress(): void {
  for (const p of [...active]) p.stop();
}

/**
 * Progress on stderr, only on a terminal so piped output and logs stay clean: phase lines at
 * once, a bar once measured work has run for a second. The bar shows one time left: the work's
 * own estimate when it gives one (a deep fit knows its epoch times), else one from the rate so far.
 */
export function progress(total: number | undefined, title: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const started = now();
  const enabled = progressEnabled(stream);
  let bar: cliProgress.SingleBar | undefined;
  let phaseShown = false;
  const clearPhase = (): void => {
    if (!phaseShown) return;
    stream.cursorTo(0);
    stream.clearLine(0);
    phaseShown = false;
  };
  const stopBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const self: Progress = {
    phase(text) {
      if (!enabled) return;
      stopBar();
      stream.cursorTo(0);
      stream.clearLine(0);
      stream.write(`${title}: ${text}`);
      phaseShown = true;
    },
    update(done, label = '', etaMs) {
      if (!enabled) return;
      if (!bar && now() - started >= SHOW_AFTER_MS) {
        clearPhase();
        // Without a known total (a streamed file) the bar becomes a running count.
        const format =
          total === undefined
            ? `${title} {value} {label}`
            : `${title} [{bar}] {percentage}% | {value}/{total} | {time_left} | {label}`;
        bar = new cliProgress.SingleBar({ stream, format, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total ?? 0, done, { label, time_left: '' });
      }
      bar?.update(done, { label, time_left: timeLeft(done, total, now() - started, etaMs) });
    },
    stop() {
      active.delete(self);
      clearPhase();
      stopBar();
    },
  };
  active.add(self);
  return self;
}

/** "eta 1m05s": the given estimate, else elapsed time scaled by the share left; "eta -" before any progress. */
export function timeLeft(done: number, total: number | undefined, elapsedMs: number, etaMs?: number): string {
  let ms = etaMs;
  if (ms === undefined && total !== undefined && done > 0) ms = (elapsedMs * (total - done)) / done;
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return 'eta -';
  const s = Math.round(ms / 1000);
  return s < 60 ? `eta ${s}s` : `eta ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
