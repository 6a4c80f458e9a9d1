import { performance } from 'node:perf_hooks';
import { selectRows, type Matrix } from '../core/matrix.js';
import { OptionsError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { createDetector, getDetector } from '../detectors/registry.js';
import { averagePrecision, precisionAtN, rocAuc } from '../evaluate/metrics.js';
import { trainTestSplit } from '../evaluate/splits.js';
import { standardize } from '../core/linalg.js';
import { fitStandardizer } from './standardize.js';

export interface LabeledSet {
  name: string;
  X: Matrix;
  y: Uint8Array;
}

export interface DetectorResult {
  roc: number;
  /** Average precision (PR-AUC) on the test part. */
  pr_auc: number;
  p_at_n: number;
  fit_seconds: number;
  score_seconds: number;
}

export interface DatasetResult {
  name: string;
  rows: number;
  features: number;
  anomaly_rate: number;
  detectors: Record<string, DetectorResult>;
}

export interface TabularBenchOptions {
  detectors: string[];
  trials: number;
  /** Options per detector name, e.g. from `--set`. */
  options?: Record<string, Record<string, unknown>>;
  /**
   * Share of the training anomalies whose labels semi-supervised detectors see (at least one,
   * chosen at random per trial; every other training row is labeled 0, i.e. unlabeled). Supervised
   * detectors see every training label; unsupervised ones none.
   */
  labeledFraction?: number;
  onStep?: (done: number, total: number, label: string) => void;
}

/**
 * The PyOD benchmark protocol: per trial t a random 60/40 split seeded with t, standard scaling
 * fitted on the train part, fit on train (with the training labels each detector's learning mode
 * allows, see `labeledFraction`), ROC-AUC and precision@n on test.
 * Trials whose test part holds a single class are left out of the means, as the peer does.
 */
export async function benchTabular(sets: LabeledSet[], o: TabularBenchOptions): Promise<DatasetResult[]> {
  const f = o.labeledFraction;
  if (f !== undefined && !(f > 0 && f <= 1)) throw new OptionsError(`labeledFraction must be in (0, 1], got ${f}`);
  for (const name of o.detectors) {
    if (labelAccess(name) === 'some' && f === undefined) {
      throw new OptionsError(`${name} is semi-supervised: say which share of the training anomalies it may see (labeledFraction)`);
    }
  }
  const total = sets.length * o.detectors.length * o.trials;
  let done = 0;
  const out: DatasetResult[] = [];
  for (const set of sets) {
    const anomalies = set.y.reduce((a, b) => a + b, 0);
    const res: DatasetResult = {
      name: set.name,
      rows: set.X.rows,
      features: set.X.cols,
      anomaly_rate: anomalies / set.X.rows,
      detectors: {},
    };
    const splits = Array.from({ length: o.trials }, (_, t) => {
      const { train, test } = trainTestSplit(set.X.rows, 0.4, t);
      const scaler = fitStandardizer(selectRows(set.X, train));
      const yTrain = Uint8Array.from(train, (i) => set.y[i]!);
      return {
        train: standardize(selectRows(set.X, train), scaler),
        test: standardize(selectRows(set.X, test), scaler),
        yTrain,
        yRevealed: f === undefined ? undefined : revealSome(yTrain, f, t),
        yTest: Uint8Array.from(test, (i) => set.y[i]!),
      };
    });
    for (const name of o.detectors) {
      const access = labelAccess(name);
      const rocs: number[] = [];
      const pns: number[] = [];
      const aps: number[] = [];
      let fitS = 0;
      let scoreS = 0;
      for (let t = 0; t < o.trials; t++) {
        const s = splits[t]!;
        const opts = { ...(o.options?.[name] ?? {}) };
        const det = createDetector(name, withSeed(name, opts, t));
        const t0 = performance.now();
        await det.fit(s.train, access === 'none' ? {} : { labels: access === 'all' ? s.yTrain : s.yRevealed! });
        const t1 = performance.now();
        const scores = await det.score(s.test);
        const t2 = performance.now();
        fitS += (t1 - t0) / 1000;
        scoreS += (t2 - t1) / 1000;
        const roc = rocAuc(s.yTest, scores);
        if (!Number.isNaN(roc)) {
          rocs.push(roc);
          pns.push(precisionAtN(s.yTest, scores));
          aps.push(averagePrecision(s.yTest, scores));
        }
        o.onStep?.(++done, total, `${set.name} ${name}`);
      }
      res.detectors[name] = {
        roc: meanOf(rocs),
        pr_auc: meanOf(aps),
        p_at_n: meanOf(pns),
        fit_seconds: fitS / o.trials,
        score_seconds: scoreS / o.trials,
      };
    }
    out.push(res);
  }
  return out;
}

/** Which training labels a detector gets: none (unsupervised), some (semi-supervised) or all (supervised). */
export function labelAccess(name: string): 'none' | 'some' | 'all' {
  const modes = getDetector(name).modes;
  if (modes.includes('unsupervised')) return 'none';
  return modes.includes('semi-supervised') ? 'some' : 'all';
}

/**
 * The labels a semi-supervised detector sees: `fraction` of the anomalies (rounded, at least one),
 * chosen at random (seeded with the trial); every other row 0.
 */
export function revealSome(y: Uint8Array, fraction: number, seed: number): Uint8Array {
  const anomalies = Int32Array.from(y.keys()).filter((i) => y[i] === 1);
  const out = new Uint8Array(y.length);
  if (!anomalies.length) return out;
  const k = Math.min(anomalies.length, Math.max(1, Math.round(fraction * anomalies.length)));
  for (const j of new Rng(seed).sample(anomalies.length, k)) out[anomalies[j]!] = 1;
  return out;
}

function withSeed(name: string, opts: Record<string, unknown>, trial: number): Record<string, unknown> {
  if ('seed' in opts) return opts;
  const shape = createDetector(name, opts).options;
  return 'seed' in shape ? { ...opts, seed: trial } : opts;
}

function meanOf(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
