import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, label?: string): void;
  stop(): void;
}

/** Wait this long before drawing a bar, so quick work prints nothing extra. */
const SHOW_AFTER_MS = 1000;

/**
 * A progress bar on stderr that appears only once work has run for a second and only on a
 * terminal, so piped output and logs stay clean.
 */
export function progress(total: number | undefined, title: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  const enabled = stream.isTTY === true && process.env['VIGIL_NO_PROGRESS'] === undefined;
  return {
    update(done, label = '') {
      if (!enabled) return;
      if (!bar && Date.now() - started >= SHOW_AFTER_MS) {
        // Without a known total (a streamed file) the bar becomes a running count.
        const format =
          total === undefined
            ? `${title} {value} {label}`
            : `${title} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} | {label}`;
        bar = new cliProgress.SingleBar({ stream, format, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total ?? 0, done, { label });
      }
      bar?.update(done, { label });
    },
    stop() {
      bar?.stop();
    },
  };
}
