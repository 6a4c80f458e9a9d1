import { UsageError } from './usage-error.js';

/** A flag's value as a finite number, or a one-line usage error naming the flag. */
export function numberFlag(raw: string, flag: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${flag} must be a number, got '${raw}'`);
  return v;
}

/** A flag's value as a whole number >= min (undefined when the flag is absent). */
export function wholeFlag(raw: string | undefined, flag: string, min = 0): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min) throw new UsageError(`${flag} must be a whole number >= ${min}, got '${raw}'`);
  return v;
}

/** wholeFlag for flags with a default: commander always hands over a string. */
export function wholeFlagOr(raw: string, flag: string, min = 0): number {
  return wholeFlag(raw, flag, min)!;
}
