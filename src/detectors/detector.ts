import type { z } from 'zod';
import type { Matrix } from '../core/matrix.js';
import type { AutoChoice } from './auto/choice.js';

/** Typed arrays a detector may keep as learned state; saved as raw little-endian bytes. */
export type StateArray = Float64Array | Float32Array | Int32Array | Uint8Array;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Everything a detector learned, as plain data: small values in `params` (JSON),
 * bulk numbers in `arrays`. This is what a model file stores; nothing executable.
 */
export interface DetectorState {
  params: { [k: string]: Json };
  arrays: { [k: string]: StateArray };
}

export interface FitProgress {
  /** 0..1 */
  fraction: number;
  message?: string;
  /** The work's own estimate of the time left, in ms, when it has one (shown instead of a guess from the rate). */
  etaMs?: number;
  /** Deep detectors: the epoch just finished (1-based), of how many, and its training loss. */
  epoch?: number;
  epochs?: number;
  loss?: number;
}

export interface FitContext {
  /** 1 = anomaly, 0 = normal, one per row; only semi-supervised and supervised detectors read it. */
  labels?: Uint8Array;
  onProgress?: (p: FitProgress) => void;
  signal?: AbortSignal;
}

/**
 * The one contract every detector follows, classical or deep.
 * Settings come in through the constructor (validated options); learning happens in `fit`;
 * `score` gives one number per row, higher = more anomalous, and depends only on that row and
 * the learned state (never on the other rows of the batch), so scoring can stream.
 */
export interface Detector {
  /** Registry name, e.g. `iforest`. */
  readonly name: string;
  /** The validated options this detector was built with (plain data). */
  readonly options: Readonly<Record<string, Json>>;
  readonly fitted: boolean;
  fit(X: Matrix, ctx?: FitContext): Promise<void>;
  score(X: Matrix): Promise<Float64Array>;
  /** Per-feature contributions to each row's score (rows x features), where the model allows it. */
  explain?(X: Matrix): Promise<Matrix>;
  /**
   * A cutoff on this detector's own score scale that needs no labels, e.g. a test's critical
   * value at `alpha`. Used by the `auto` threshold.
   */
  naturalThreshold?(): number | undefined;
  /** A detector that chooses among others (`auto`): what it chose for the data and why. */
  choice?(): AutoChoice | undefined;
  getState(): DetectorState;
  setState(state: DetectorState): void;
}

export type LearningMode = 'unsupervised' | 'semi-supervised' | 'supervised';

/**
 * What a 0/1 label column means in each learning mode. Semi-supervised covers a few labeled
 * anomalies among unlabeled rows (devnet); an unsupervised detector fitted on rows known to be
 * normal is the other semi-supervised setting, and needs no labels.
 */
export const LABEL_MEANING: Record<LearningMode, string> = {
  unsupervised: 'labels are not read',
  'semi-supervised': '1 = known anomaly, 0 = unlabeled',
  supervised: '1 = anomaly, 0 = normal',
};
/** `ensemble`: a detector made of others (`auto`). */
export type DetectorFamily = 'stats' | 'classical' | 'deep' | 'series' | 'ensemble';

export interface DetectorInfo {
  name: string;
  family: DetectorFamily;
  summary: string;
  /** One line naming the published definition this implementation follows. */
  citation: string;
  modes: readonly LearningMode[];
  /** Its detectors give per-feature contributions (`explain`), which `score --explain` writes. */
  explains?: boolean;
  /** A fixed cutoff on its scores used when none is asked for, for detectors whose sparse scores have no tail for POT to fit. */
  defaultCutoff?: number;
}

/**
 * A detector kind: its description, its options schema and a constructor taking validated
 * options. Calling it validates raw options and returns a fresh, unfitted detector.
 */
export interface DetectorDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> extends DetectorInfo {
  readonly schema: S;
  (options?: z.input<S>): Detector;
}

/** Any detector definition, for lists and the registry (options are validated at run time). */
export type AnyDetectorDefinition = DetectorDefinition<any>;
