/**
 * Running a series detector over a NAB corpus (`vigil bench nab --detector X`), as NAB runs its
 * own detectors: each file on its own, the detector fitted on the file's probationary rows (NAB's
 * first 15%, at most 750 rows) and then scoring every row, its score at a row reading only that
 * row and the rows before it.
 *
 * NAB sweeps ONE threshold over the whole corpus, so scores must mean the same in every file, and
 * raw scores do not (a robust z of 4 is routine in one file and rare in another). Each file's raw
 * scores therefore go through a causal tail calibration after NAB's own HTM "anomaly likelihood"
 * (Ahmad, Lavin, Purdy & Agha 2017): the mean of the last `average` raw scores, as a z against the
 * mean and sd of every earlier raw score after the warm-up (the last 8640, once at least 100 are
 * known; 0 before), so a score is high only when it is rare for this file so far. Then `suppress`:
 * a score counts only where it beats every calibrated score of the `suppress` steps before it,
 * a threshold-free form of the hold-off NAB's detectors apply after a detection, so one long
 * excursion costs one false positive rather than one per row. Last, z maps into [0, 1) by
 * z / (z + 1) (0 for z <= 0): monotone, so the sweep sees the same order.
 *
 * Several detectors can run together: each one's tail z is computed on its own raw scores and
 * the z's are summed before the suppression, so each counts in units of its own rarity.
 *
 * `calibration: 'none'` takes the scores as they are (a detector such as ARTime that already gives
 * NAB's [0, 1] scores and its own hold-off); several detectors give the largest.
 *
 * `calibration: 'likelihood'` replaces all of that with what NAB's numenta detector does: each
 * detector's raw scores go through NuPIC's anomaly likelihood (src/threshold/anomaly-likelihood.ts;
 * learning and estimation periods half the probation each) on NAB's log scale, several detectors
 * give the largest, and there is no suppression unless asked for. Nothing in it was chosen here.
 *
 * `spatial` (off unless given) adds the rule NAB's own numenta detector applies on top of HTM: a
 * value beyond the range of every earlier value of the file by more than `spatial` times that
 * range (numenta uses 0.05) scores 1, whatever the detectors say, and counts as an unbeatable
 * score for the suppression after it.
 *
 * The defaults (average 3, suppress 100) were chosen on the NAB files themselves, so the corpus
 * score they give is optimistic for unseen data.
 */
import { DataError } from '../core/errors.js';
import { readTable } from '../data/index.js';
import { matrix } from '../core/matrix.js';
import { extent } from '../core/stats.js';
import { probationLength } from '../evaluate/nab/index.js';
import type { SeriesDetector } from '../detectors/series/index.js';
import { AnomalyLikelihood } from '../threshold/anomaly-likelihood.js';
import type { NabPaths, NabResultsFile } from './nab.js';
import { nabColumn, nabNumbers, nabTimestamps } from './nab.js';
import { join } from 'node:path';

export interface NabRunOptions {
  paths: NabPaths;
  windows: Map<string, [number, number][]>;
  /** Fresh, unfitted detectors for each file (one or more, their tail z's summed), told the file's value range (NAB hands every detector its inputMin and inputMax). */
  make: (range: { min: number; max: number }) => SeriesDetector[];
  /** Raw scores to NAB scores: the tail z (default), NuPIC's anomaly likelihood, or as they are (see the module comment). */
  calibration?: NabCalibration;
  /** Calibration settings (see the module comment); `average` is the tail z's only. */
  average?: number;
  suppress?: number;
  /** Tolerance of the new-range rule (see the module comment); undefined = off. */
  spatial?: number;
  /** Called after each file, for progress. */
  onFile?: (name: string, done: number, total: number) => void;
}

export async function runNabDetector(o: NabRunOptions): Promise<NabResultsFile[]> {
  const out: NabResultsFile[] = [];
  let done = 0;
  for (const [key, windows] of o.windows) {
    const slash = key.lastIndexOf('/');
    const dataPath = join(o.paths.data, key);
    const data = await readTable(dataPath);
    const timestamps = nabTimestamps(data.rows, nabColumn(data.header, 'timestamp', dataPath), dataPath);
    const values = nabNumbers(data.rows, nabColumn(data.header, 'value', dataPath), dataPath, 'value');
    const series = matrix(values.length, 1, values);
    const probation = Math.max(2, Math.floor(probationLength(values.length)));
    // The tail z's of several detectors add up; calibrated or as-is scores combine by their largest.
    const tail = (o.calibration ?? 'tail') === 'tail';
    let z: Float64Array | undefined;
    const [min, max] = extent(values);
    for (const det of o.make({ min, max })) {
      await det.fit(matrix(probation, 1, values.slice(0, probation)));
      const { score, warmup } = await det.score(series);
      const zd = tail ? tailZ(score, warmup, o.average ?? NAB_AVERAGE) : o.calibration === 'likelihood' ? likelihoodScores(score, probation) : checkUnit(score, det.name, key);
      if (!z) z = zd;
      else if (tail) for (let t = 0; t < z.length; t++) z[t]! += zd[t]!;
      else for (let t = 0; t < z.length; t++) z[t] = Math.max(z[t]!, zd[t]!);
    }
    const novel = o.spatial === undefined ? undefined : outOfRange(values, o.spatial);
    out.push({
      name: key,
      category: slash < 0 ? '' : key.slice(0, slash),
      file: key.slice(slash + 1),
      timestamps,
      scores: tail ? toUnit(z!, o.suppress ?? NAB_SUPPRESS, novel) : finish(z!, o.suppress ?? 0, novel, (v) => v),
      windows,
      reference: {},
    });
    o.onFile?.(key, ++done, o.windows.size);
  }
  return out;
}

export type NabCalibration = 'tail' | 'likelihood' | 'none';
export const NAB_CALIBRATIONS: readonly NabCalibration[] = ['tail', 'likelihood', 'none'];

/** Scores a detector already gives on NAB's [0, 1] scale (`calibration: 'none'`), checked. */
function checkUnit(score: Float64Array, detector: string, file: string): Float64Array {
  const bad = score.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) throw new DataError(`${file}: ${detector} scored ${score[bad]} at row ${bad + 1}; --calibration none needs scores in [0, 1]`);
  return Float64Array.from(score);
}

/** Defaults of the calibration (see the module comment). */
export const NAB_AVERAGE = 3;
export const NAB_SUPPRESS = 100;
const HISTORY = 8640;
const MIN_HISTORY = 100;

/**
 * z of the mean of the last `average` raw scores against the mean and sd of the earlier raw
 * scores (after `warmup`, at most the last 8640, at least 100 of them; else 0).
 */
export function tailZ(scores: Float64Array, warmup: number, average = NAB_AVERAGE): Float64Array {
  const out = new Float64Array(scores.length);
  let sum = 0;
  let sum2 = 0;
  let recent = 0;
  for (let t = warmup; t < scores.length; t++) {
    const v = scores[t]!;
    recent += v;
    if (t - average >= warmup) recent -= scores[t - average]!;
    const seen = t - warmup;
    const n = Math.min(seen, HISTORY);
    if (n >= MIN_HISTORY) {
      const mu = sum / n;
      const sd = Math.max(Math.sqrt(Math.max(0, sum2 / n - mu * mu)), 1e-4);
      out[t] = (recent / Math.min(average, seen + 1) - mu) / sd;
    }
    sum += v;
    sum2 += v * v;
    if (seen >= HISTORY) {
      const old = scores[t - HISTORY]!;
      sum -= old;
      sum2 -= old * old;
    }
  }
  return out;
}

/**
 * Tail z's to NAB's [0, 1]: suppression over k steps (0 = none), then z / (z + 1); steps marked
 * in `novel` score 1 and suppress as an infinite z.
 */
export function toUnit(z: Float64Array, k: number, novel?: Uint8Array): Float64Array {
  return finish(z, k, novel, (v) => (v > 0 ? v / (v + 1) : 0));
}

/** Suppression over k steps (0 = none), then `unit`; steps marked in `novel` score 1 and suppress as infinite. */
function finish(scores: Float64Array, k: number, novel: Uint8Array | undefined, unit: (v: number) => number): Float64Array {
  const marked = novel ? scores.map((v, t) => (novel[t] ? Infinity : v)) : scores;
  const kept = k > 0 ? suppress(marked, k) : marked;
  return kept.map((v, t) => (novel?.[t] ? 1 : unit(v)));
}

/** NuPIC's anomaly likelihood of each raw score, on NAB's log scale, set up for a file with this probation. */
export function likelihoodScores(raw: Float64Array, probation: number): Float64Array {
  const al = AnomalyLikelihood.forProbation(probation);
  return raw.map((v) => AnomalyLikelihood.logScore(al.update(v)));
}

/**
 * 1 where a value lies beyond [min, max] of every earlier value by more than `tolerance` times
 * max - min (never while all earlier values are equal).
 */
export function outOfRange(values: Float64Array, tolerance: number): Uint8Array {
  const out = new Uint8Array(values.length);
  if (values.length === 0) return out;
  let lo = values[0]!;
  let hi = lo;
  for (let t = 1; t < values.length; t++) {
    const v = values[t]!;
    const margin = (hi - lo) * tolerance;
    if (hi > lo && (v > hi + margin || v < lo - margin)) out[t] = 1;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return out;
}

/** The score where it beats every score of the previous `k` steps, else 0. */
export function suppress(scores: Float64Array, k: number): Float64Array {
  const out = new Float64Array(scores.length);
  // Monotone deque of indices whose scores decrease: the front is the max of the last k steps.
  const dq = new Int32Array(scores.length);
  let head = 0;
  let tail = 0;
  for (let t = 0; t < scores.length; t++) {
    while (head < tail && dq[head]! < t - k) head++;
    const prev = head < tail ? scores[dq[head]!]! : -Infinity;
    out[t] = scores[t]! > prev ? scores[t]! : 0;
    while (head < tail && scores[dq[tail - 1]!]! <= scores[t]!) tail--;
    dq[tail++] = t;
  }
  return out;
}
