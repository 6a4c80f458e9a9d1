import { DataError } from '../../core/errors.js';
import type { Frame } from '../../data/frame.js';
import { getDetector } from '../../detectors/registry.js';
import type { PreprocessSpec } from '../../preprocess/index.js';
import { stratifiedKFold } from '../splits.js';
import { gridCandidates, randomCandidates, type Setting } from './candidates.js';
import type { TuneMetric } from './cross-validate.js';
import { runJobs } from './pool.js';
import { DEFAULT_SPACES, type SearchSpace } from './spaces.js';

export interface TuneOptions {
  detector: string;
  /** Values to try per option; defaults to the detector's entry in DEFAULT_SPACES. */
  space?: SearchSpace;
  search: 'grid' | 'random';
  /** With random search, how many settings to try. */
  trials: number;
  folds: number;
  metric: TuneMetric;
  seed: number;
  /** Worker threads; 1 runs everything in this thread. */
  workers: number;
  preprocess?: PreprocessSpec;
  onProgress?: (done: number, total: number) => void;
}

export interface TuneRow {
  options: Setting;
  mean: number;
  std: number;
  folds: number[];
}

export interface TuneReport {
  detector: string;
  /** `synthetic-roc` when there were no labels (see crossValidate). */
  criterion: TuneMetric | 'synthetic-roc';
  folds: number;
  /** Best first. */
  rows: TuneRow[];
  best: Setting;
}

/** Cross-validated search over a detector's settings; every setting sees the same folds. */
export async function tune(frame: Frame, labels: Uint8Array | undefined, o: TuneOptions): Promise<TuneReport> {
  const def = getDetector(o.detector);
  const space = o.space ?? DEFAULT_SPACES[o.detector] ?? {};
  const candidates = o.search === 'grid' ? gridCandidates(space) : randomCandidates(space, o.trials, o.seed);
  for (const c of candidates) def(c);
  if (labels) {
    const positives = labels.reduce((a, b) => a + b, 0);
    if (positives < o.folds) throw new DataError(`${positives} labeled anomalies cannot be spread over ${o.folds} folds; use fewer --folds`);
  }
  const folds = stratifiedKFold(labels ?? new Uint8Array(frame.rows), o.folds, o.seed);
  const jobs = candidates.map((options) => ({
    frame,
    labels,
    detector: o.detector,
    options,
    preprocess: o.preprocess ?? {},
    folds,
    metric: o.metric,
    seed: o.seed,
  }));
  const values = await runJobs(jobs, o.workers, (done) => o.onProgress?.(done, jobs.length));
  const rows = candidates
    .map((options, i) => summarise(options, values[i]!))
    .sort((a, b) => (Number.isNaN(a.mean) ? 1 : Number.isNaN(b.mean) ? -1 : b.mean - a.mean));
  return { detector: o.detector, criterion: labels ? o.metric : 'synthetic-roc', folds: o.folds, rows, best: rows[0]!.options };
}

function summarise(options: Setting, folds: number[]): TuneRow {
  const ok = folds.filter((v) => !Number.isNaN(v));
  const mean = ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
  const std = ok.length > 1 ? Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / (ok.length - 1)) : 0;
  return { options, mean, std, folds };
}
