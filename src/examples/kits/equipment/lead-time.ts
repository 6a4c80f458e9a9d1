/** How early an approach warns: per failure, the hours between its first alert and the failure. */
import type { Failure } from './generate.js';

/** Alerts earlier than this before a failure count as unrelated. */
export const LOOKBACK_HOURS = 7 * 24;

export interface LeadTime {
  /** Mean hours of warning over the wear failures warned of (NaN if none). */
  meanHours: number;
  warned: number;
  failures: number;
  /** Sudden breaks alerted within their first hours. */
  breaksCaught: number;
  breaks: number;
}

/** A warning is persistent alerting: at least this many alert-hours in the last PERSIST_OF hours. */
export const PERSIST_K = 3;
export const PERSIST_OF = 6;

/**
 * A failure is warned of when the approach alerts persistently (PERSIST_K of PERSIST_OF hours) in
 * the week before it, or within its first hours (a sudden break can only be caught as it happens,
 * so only its first hours count). A lone alert is not a warning: at a budget of a few alerts a day, some land in any
 * week by chance, and counting them would credit every approach with days of warning.
 */
export function leadTimes(failures: readonly Failure[], perUnit: readonly ArrayLike<number>[], cutoff: number, from: number): LeadTime {
  let warned = 0;
  let caught = 0;
  let sum = 0;
  const counted = failures.filter((f) => f.at >= from);
  for (const f of counted) {
    const s = perUnit[f.unit]!;
    const start = f.kind === 'wear' ? Math.max(from, f.at - LOOKBACK_HOURS) : f.at;
    for (let t = start; t < Math.min(s.length, f.at + 6); t++) {
      let recent = 0;
      for (let k = Math.max(0, t - PERSIST_OF + 1); k <= t; k++) recent += s[k]! > cutoff ? 1 : 0;
      if (recent >= PERSIST_K) {
        if (f.kind === 'break') caught++;
        else {
          warned++;
          sum += Math.max(0, f.at - t);
        }
        break;
      }
    }
  }
  const breaks = counted.filter((f) => f.kind === 'break').length;
  return { meanHours: warned ? sum / warned : NaN, warned, failures: counted.length - breaks, breaksCaught: caught, breaks };
}
