import { DataError } from '../core/errors.js';
import { Rng } from '../core/random.js';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/**
 * A random train/test split of n rows with `testFraction` in the test part, seeded.
 * The test size is ceil(n * testFraction), as scikit-learn's train_test_split.
 */
export function trainTestSplit(n: number, testFraction: number, seed: number): Split {
  const perm = new Rng(seed).permutation(n);
  const nTest = Math.ceil(n * testFraction);
  return { test: perm.slice(0, nTest).sort(), train: perm.slice(nTest).sort() };
}

/**
 * Stratified k-fold: each class is shuffled (seeded) and dealt round-robin into k folds, so every
 * fold holds about the same share of anomalies. Each split tests on one fold and trains on the rest.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new DataError(`folds must be an integer of 2 or more, got ${k}`);
  const n = labels.length;
  if (n < k) throw new DataError(`cannot make ${k} folds from ${n} rows`);
  const rng = new Rng(seed);
  const fold = new Int32Array(n);
  const classes = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!classes.has(c)) classes.set(c, []);
    classes.get(c)!.push(i);
  }
  let offset = 0;
  for (const c of [...classes.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(classes.get(c)!);
    members.forEach((i, r) => (fold[i] = (r + offset) % k));
    offset += members.length;
  }
  const splits: Split[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    splits.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return splits;
}
