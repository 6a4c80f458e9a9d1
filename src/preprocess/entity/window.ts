/** Window lengths as people write them: `90s`, `15m`, `1h`, `24h`, `7d`, `2w`. */

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
const WINDOW = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;

/** The window's length in seconds, or undefined when the text is not a window. */
export function windowSeconds(text: string): number | undefined {
  const m = WINDOW.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
  return n > 0 ? n : undefined;
}

export const WINDOW_HINT = 'a positive number and a unit s, m, h, d or w, e.g. 1h, 24h, 7d';
