import { Rng } from '../../core/random.js';
import type { SearchSpace } from './spaces.js';

export type Setting = Record<string, unknown>;

/** Every combination of the space's values, in a stable order. */
export function gridCandidates(space: SearchSpace): Setting[] {
  let out: Setting[] = [{}];
  for (const [key, values] of Object.entries(space)) {
    out = out.flatMap((s) => values.map((v) => ({ ...s, [key]: v })));
  }
  return out;
}

/**
 * `trials` distinct settings drawn from the grid without replacement (seeded); the whole grid
 * when it is smaller than that.
 */
export function randomCandidates(space: SearchSpace, trials: number, seed: number): Setting[] {
  const grid = gridCandidates(space);
  if (grid.length <= trials) return grid;
  return Array.from(new Rng(seed).sample(grid.length, trials), (i) => grid[i]!);
}
