import { performance } from 'node:perf_hooks';
import { selectRows, type Matrix } from '../core/matrix.js';
import { createDetector } from '../detectors/registry.js';
import { precisionAtN, rocAuc } from '../evaluate/metrics.js';
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
  onStep?: (done: number, total: number, label: string) => void;
}

/**
 * The PyOD benchmark protocol: per trial t a random 60/40 split seeded with t, standard scaling
 * fitted on the train part, unsupervised fit on train, ROC-AUC and precision@n on test.
 * Trials whose test part holds a single class are left out of the means, as the peer does.
 */
export async function benchTabular(sets: LabeledSet[], o: TabularBenchOptions): Promise<DatasetResult[]> {
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
      return {
        train: standardize(selectRows(set.X, train), scaler),
        test: standardize(selectRows(set.X, test), scaler),
        yTest: Uint8Array.from(test, (i) => set.y[i]!),
      };
    });
    for (const name of o.detectors) {
      const rocs: number[] = [];
      const pns: number[] = [];
      let fitS = 0;
      let scoreS = 0;
      for (let t = 0; t < o.trials; t++) {
        const s = splits[t]!;
        const opts = { ...(o.options?.[name] ?? {}) };
        const det = createDetector(name, withSeed(name, opts, t));
        const t0 = performance.now();
        await det.fit(s.train);
        const t1 = performance.now();
        const scores = await det.score(s.test);
        const t2 = performance.now();
        fitS += (t1 - t0) / 1000;
        scoreS += (t2 - t1) / 1000;
        const roc = rocAuc(s.yTest, scores);
        if (!Number.isNaN(roc)) {
          rocs.push(roc);
          pns.push(precisionAtN(s.yTest, scores));
        }
        o.onStep?.(++done, total, `${set.name} ${name}`);
      }
      res.detectors[name] = {
        roc: meanOf(rocs),
        p_at_n: meanOf(pns),
        fit_seconds: fitS / o.trials,
        score_seconds: scoreS / o.trials,
      };
    }
    out.push(res);
  }
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
