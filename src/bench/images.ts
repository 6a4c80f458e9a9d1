import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataError, OptionsError } from '../core/errors.js';
import { matrix, selectRows, type Matrix } from '../core/matrix.js';
import { createDetector, getDetector } from '../detectors/registry.js';
import { rocAuc } from '../evaluate/metrics.js';
import { trainTestSplit } from '../evaluate/splits.js';
import {
  ANOMALY_CLASS,
  NORMAL_CLASS,
  findIdxFile,
  formatShape,
  imagesFromEntries,
  readIdxSplit,
  readImageEntries,
  sameShape,
  subfolders,
  type ClassImages,
  type ImageShape,
  type PixelOptions,
} from '../data/images/index.js';

/** Rows of images with the class of each; `y` indexes into the set's `classes`. */
export interface ImageSplit {
  X: Matrix;
  y: Int32Array;
}

export interface ImageBenchSet {
  name: string;
  /** `idx` sets can be given to the peer script too. */
  kind: 'idx' | 'folder';
  shape: ImageShape;
  /** All class names, sorted (numerically for IDX labels). */
  classes: string[];
  train: ImageSplit;
  test: ImageSplit;
  /** The classes taken in turn as the normal one when none are asked for. */
  defaultNormal: string[];
}

export interface ImageDetectorResult {
  /** ROC-AUC with each run class as normal, in the order of the result's `classes`. */
  per_class: number[];
  /** Mean over the classes whose ROC-AUC is defined. */
  mean_roc: number;
  /** Summed over the classes. */
  fit_seconds: number;
  score_seconds: number;
  /** Training images the detector saw per class (after any limit). */
  train_rows: number[];
}

export interface ImageBenchResult {
  dataset: string;
  shape: ImageShape;
  /** The classes taken as normal, in order. */
  classes: string[];
  test_rows: number;
  detectors: Record<string, ImageDetectorResult>;
}

export interface ImageBenchOptions {
  detectors: string[];
  /** Class names to take as normal; default the set's `defaultNormal`. */
  classes?: string[];
  /** Per detector name: fit on only the first this-many training images of the class. */
  trainLimit?: Record<string, number>;
  /** Options per detector name (the image size is filled in where the detector takes it). */
  options?: Record<string, Record<string, unknown>>;
  /** After each (class, detector) pair; `fraction` of the current fit while a detector reports it. */
  onStep?: (done: number, total: number, label: string) => void;
  signal?: AbortSignal;
}

/**
 * The one-class image protocol: for each class c, fit on the training images of c, score every
 * test image with c normal (0) and every other class anomalous (1), ROC-AUC per class.
 */
export async function benchImages(set: ImageBenchSet, o: ImageBenchOptions): Promise<ImageBenchResult> {
  const classes = o.classes ?? set.defaultNormal;
  const classIndex = classes.map((c) => {
    const k = set.classes.indexOf(c);
    if (k < 0) throw new OptionsError(`no class '${c}' in ${set.name} (classes: ${set.classes.join(', ')})`);
    return k;
  });
  const total = classes.length * o.detectors.length;
  let done = 0;
  const res: ImageBenchResult = { dataset: set.name, shape: set.shape, classes, test_rows: set.test.X.rows, detectors: {} };
  for (const d of o.detectors) res.detectors[d] = { per_class: [], mean_roc: NaN, fit_seconds: 0, score_seconds: 0, train_rows: [] };
  for (let ci = 0; ci < classes.length; ci++) {
    const k = classIndex[ci]!;
    const members: number[] = [];
    for (let i = 0; i < set.train.y.length; i++) if (set.train.y[i] === k) members.push(i);
    if (!members.length) throw new DataError(`${set.name}: no training images of class '${classes[ci]}'`);
    const yTest = Uint8Array.from(set.test.y, (c) => (c === k ? 0 : 1));
    for (const name of o.detectors) {
      const limit = o.trainLimit?.[name];
      const rows = limit !== undefined && limit < members.length ? members.slice(0, limit) : members;
      const train = selectRows(set.train.X, rows);
      const det = createDetector(name, imageOptions(name, set.shape, o.options?.[name] ?? {}));
      const label = `class ${classes[ci]} ${name}`;
      const t0 = performance.now();
      await det.fit(train, {
        signal: o.signal,
        onProgress: (p) => o.onStep?.(done, total, `${label} fit ${Math.round(p.fraction * 100)}%`),
      });
      const t1 = performance.now();
      const scores = await det.score(set.test.X);
      const t2 = performance.now();
      const r = res.detectors[name]!;
      r.per_class.push(rocAuc(yTest, scores));
      r.fit_seconds += (t1 - t0) / 1000;
      r.score_seconds += (t2 - t1) / 1000;
      r.train_rows.push(rows.length);
      o.onStep?.(++done, total, label);
    }
  }
  for (const r of Object.values(res.detectors)) r.mean_roc = meanDefined(r.per_class);
  return res;
}

/**
 * A detector's options with the image size filled in where its schema takes `height`, `width`
 * or `channels` (a convolutional detector reshapes each flat row with them); options the caller
 * gave win.
 */
export function imageOptions(name: string, shape: ImageShape, given: Record<string, unknown>): Record<string, unknown> {
  const schema = getDetector(name).schema as { shape?: Record<string, unknown> };
  const keys = schema.shape ? Object.keys(schema.shape) : [];
  const out: Record<string, unknown> = {};
  for (const k of ['height', 'width', 'channels'] as const) if (keys.includes(k)) out[k] = shape[k];
  return { ...out, ...given };
}

export function meanDefined(v: number[]): number {
  const ok = v.filter((x) => !Number.isNaN(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

/** The IDX file names of an MNIST-style folder. */
export const IDX_TRAIN = 'train-images-idx3-ubyte';

/**
 * A benchmark set from a folder:
 *  - MNIST-style IDX files (train-/t10k- images and labels, plain or .gz): the given split;
 *  - `train/<class>/` and `test/<class>/` image folders: the given split;
 *  - `<class>/` image folders: each class split 60/40 into train and test (seeded), except that
 *    when the classes are `normal` and `anomaly` every anomaly goes to test and only `normal` is
 *    taken as the normal class.
 * Image folders are read with `pixels` (colour and size); IDX files keep theirs.
 */
export async function loadImageBenchSet(dir: string, pixels: PixelOptions = {}): Promise<ImageBenchSet> {
  const name = basename(resolve(dir));
  if (findIdxFile(dir, IDX_TRAIN)) {
    const [train, test] = await Promise.all([readIdxSplit(dir, 'train'), readIdxSplit(dir, 't10k')]);
    if (!sameShape(train.shape, test.shape)) {
      throw new DataError(`${dir}: training images are ${formatShape(train.shape)} but test images ${formatShape(test.shape)}`);
    }
    const classes = [...new Set([...train.classes, ...test.classes])].sort((a, b) => Number(a) - Number(b));
    return {
      name,
      kind: 'idx',
      shape: train.shape,
      classes,
      train: remap(train, classes),
      test: remap(test, classes),
      defaultNormal: train.classes,
    };
  }
  const subs = await subfolders(dir);
  if (!subs.length) {
    throw new DataError(`${dir} holds neither MNIST IDX files (${IDX_TRAIN}[.gz] and the rest) nor class subfolders of images`);
  }
  if (subs.includes('train') && subs.includes('test')) {
    const trainEntries = await readImageEntries(join(dir, 'train'));
    const testEntries = await readImageEntries(join(dir, 'test'));
    const all = imagesFromEntries([...trainEntries, ...testEntries], pixels);
    const n = trainEntries.length;
    const trainClasses = [...new Set(trainEntries.map((e) => e.className))].sort();
    return {
      name,
      kind: 'folder',
      shape: all.shape,
      classes: all.classes,
      train: rowsOf(all, range(0, n)),
      test: rowsOf(all, range(n, all.X.rows)),
      defaultNormal: labelledClasses(all.classes) ? [NORMAL_CLASS] : trainClasses,
    };
  }
  const all = imagesFromEntries(await readImageEntries(dir), pixels);
  const labelled = labelledClasses(all.classes);
  const train: number[] = [];
  const test: number[] = [];
  all.classes.forEach((c, k) => {
    const members: number[] = [];
    for (let i = 0; i < all.y.length; i++) if (all.y[i] === k) members.push(i);
    if (labelled && c === ANOMALY_CLASS) {
      test.push(...members);
      return;
    }
    const s = trainTestSplit(members.length, 0.4, 0);
    train.push(...Array.from(s.train, (i) => members[i]!));
    test.push(...Array.from(s.test, (i) => members[i]!));
  });
  return {
    name,
    kind: 'folder',
    shape: all.shape,
    classes: all.classes,
    train: rowsOf(all, train.sort((a, b) => a - b)),
    test: rowsOf(all, test.sort((a, b) => a - b)),
    defaultNormal: labelled ? [NORMAL_CLASS] : all.classes,
  };
}

function labelledClasses(classes: string[]): boolean {
  return classes.includes(NORMAL_CLASS) && classes.every((c) => c === NORMAL_CLASS || c === ANOMALY_CLASS);
}

function remap(set: ClassImages, classes: string[]): ImageSplit {
  const to = set.classes.map((c) => classes.indexOf(c));
  return { X: set.X, y: Int32Array.from(set.y, (k) => to[k]!) };
}

function rowsOf(set: ClassImages, idx: number[]): ImageSplit {
  return idx.length ? { X: selectRows(set.X, idx), y: Int32Array.from(idx, (i) => set.y[i]!) } : { X: matrix(0, set.X.cols), y: new Int32Array(0) };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
