/**
 * Telemanom's anomaly pruning (Hundman et al. 2018, section 3.3, "Mitigating false positives"):
 * the flagged sequences are sorted by their largest smoothed error, and the largest error outside
 * every sequence is put at the end of that list. Walking down it, a sequence whose maximum is
 * within a share p of the next maximum is marked for removal; a larger drop clears the marks. The
 * sequences still marked at the end (those below the last clear drop) are dropped: they do not
 * stand out from the errors around them.
 */
import { OptionsError } from '../core/errors.js';
import type { Range } from '../evaluate/ranges.js';

export function pruneSequences(smoothed: ArrayLike<number>, sequences: readonly Range[], p: number): Range[] {
  if (!(p >= 0 && p < 1)) throw new OptionsError(`prune: p must be in [0, 1), got ${p}`);
  if (!sequences.length || p === 0) return [...sequences];
  const inside = new Uint8Array(smoothed.length);
  const peaks = sequences.map(([s, e]) => {
    let m = -Infinity;
    for (let i = s; i <= e; i++) {
      m = Math.max(m, smoothed[i]!);
      inside[i] = 1;
    }
    return m;
  });
  let outside = -Infinity;
  for (let i = 0; i < smoothed.length; i++) if (!inside[i]) outside = Math.max(outside, smoothed[i]!);
  const order = peaks.map((_, j) => j).sort((a, b) => peaks[b]! - peaks[a]!);
  const values = [...order.map((j) => peaks[j]!), Number.isFinite(outside) ? outside : 0];
  let marked: number[] = [];
  for (let k = 0; k < order.length; k++) {
    if ((values[k]! - values[k + 1]!) / values[k]! < p) marked.push(order[k]!);
    else marked = [];
  }
  const drop = new Set(marked);
  return sequences.filter((_, j) => !drop.has(j));
}
