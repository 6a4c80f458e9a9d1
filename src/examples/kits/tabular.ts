/** Fitting one tabular approach through the public Model and scoring the later stretches. */
import type { Frame } from '../../data/frame.js';
import { Model } from '../../model/model.js';
import { rowRange } from './frames.js';
import { dropColumns } from '../../data/columns.js';
import { entityFeatures, type EntityFeaturesSpec } from '../../preprocess/entity/index.js';

export interface TabularApproach {
  name: string;
  detector: string;
  options?: Record<string, unknown>;
  /** Which training labels the approach may read: none, a few confirmed anomalies, or all. */
  labels: 'none' | 'few' | 'all';
  deep?: boolean;
}

/**
 * Fits on `train` (with the labels its learning mode allows: `few` keeps only the first
 * `confirmed` anomalies, the rest count as unlabelled) and scores each of `score`.
 */
export async function fitAndScore(
  a: TabularApproach,
  train: Frame,
  trainLabels: Uint8Array,
  score: readonly Frame[],
  confirmed: number,
): Promise<Float64Array[]> {
  let labels: Uint8Array | undefined;
  if (a.labels === 'all') labels = trainLabels;
  if (a.labels === 'few') {
    labels = new Uint8Array(trainLabels.length);
    let left = confirmed;
    for (let i = 0; i < trainLabels.length && left > 0; i++) {
      if (trainLabels[i]) {
        labels[i] = 1;
        left--;
      }
    }
  }
  const model = await Model.fit(train, { detector: a.detector, options: a.options ?? {} }, labels ? { labels } : {});
  return Promise.all(score.map((f) => model.score(f)));
}

/** A kit's rows in time order, split by time into train, validation and test. */
export interface TabularSplit {
  frame: Frame;
  labels: Uint8Array;
  /** Row index where validation starts and where test starts. */
  validationAt: number;
  testAt: number;
  validationDays: number;
  testDays: number;
}

export interface TabularRun {
  name: string;
  validation: Float64Array;
  test: Float64Array;
}

/** Every approach on one feature frame: fit on train, score validation and test. */
export async function runApproaches(
  split: TabularSplit,
  approaches: readonly TabularApproach[],
  o: { confirmed: number; suffix?: string; quick?: boolean; onProgress?: (m: string) => void },
): Promise<TabularRun[]> {
  const { frame, labels, validationAt, testAt } = split;
  const train = rowRange(frame, 0, validationAt);
  const validation = rowRange(frame, validationAt, testAt);
  const test = rowRange(frame, testAt, frame.rows);
  const out: TabularRun[] = [];
  for (const a of approaches) {
    if (o.quick && a.deep) continue;
    const name = `${a.name}${o.suffix ?? ''}`;
    o.onProgress?.(`fitting ${name}`);
    const [v, t] = await fitAndScore(a, train, labels.subarray(0, validationAt), [validation, test], o.confirmed);
    out.push({ name, validation: v!, test: t! });
  }
  return out;
}

/**
 * The frame with per-entity features added (strictly from earlier rows, so computing them over
 * all rows at once leaks nothing from test into train), less the columns only the features read.
 */
export function withEntityFeatures(frame: Frame, spec: EntityFeaturesSpec, drop: readonly string[]): Frame {
  const out = entityFeatures(frame, spec).frame;
  return dropColumns(out, drop.filter((d) => out.columns.some((c) => c.name === d)));
}
