/**
 * Scoring a detector on a NAB corpus as NAB's runner does (numenta/NAB nab/runner.py: optimize,
 * score, normalize): per profile, the threshold that maximises the corpus score (the sweep) or a
 * given one; each file scored at it; the files' raw scores summed; the sum normalised between
 * the null and the perfect detector. No file I/O: inputs are timestamps, scores and windows.
 */
import { DataError } from '../../core/errors.js';
import { scoreFile } from './file-score.js';
import { normalizeScore, nullScore, perfectScore } from './normalize.js';
import type { NabProfiles } from './profiles.js';
import { bestThreshold, sweepThresholds } from './sweep.js';
import { prepareFile, type NabFile } from './windows.js';

export interface NabScoreOptions {
  /** Fixed thresholds per profile (e.g. from NAB's thresholds.json) instead of the sweep. */
  thresholds?: Record<string, number>;
  /** Probationary share of each file; NAB's 0.15 unless changed. */
  probationPercent?: number;
}

export interface NabProfileResult {
  threshold: number;
  /** Where the threshold came from. */
  thresholdFrom: 'sweep' | 'given';
  /** Sum of the files' raw scores at the threshold. */
  raw: number;
  null: number;
  perfect: number;
  /** 100 (raw - null) / (perfect - null). */
  normalized: number;
  /** Windows with a detection, and false-positive rows, over the corpus. */
  detectedWindows: number;
  falsePositives: number;
}

export interface NabFileResult {
  name: string;
  rows: number;
  windows: number;
  probation: number;
  raw: Record<string, number>;
  /** Per-row S(t) per profile. */
  st: Record<string, Float64Array>;
  detectedWindows: Record<string, number>;
  falsePositives: Record<string, number>;
}

export interface NabResult {
  windows: number;
  profiles: Record<string, NabProfileResult>;
  files: NabFileResult[];
}

export function scoreNab(files: readonly NabFile[], profiles: NabProfiles, o: NabScoreOptions = {}): NabResult {
  if (!files.length) throw new DataError('no NAB files to score');
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.name)) throw new DataError(`NAB file '${f.name}' is given twice`);
    seen.add(f.name);
  }
  for (const name of Object.keys(o.thresholds ?? {})) {
    if (!profiles[name]) throw new DataError(`a threshold is given for unknown NAB profile '${name}'; known: ${Object.keys(profiles).join(', ')}`);
  }
  const prepared = files.map((f) => prepareFile(f, o.probationPercent));
  const windows = prepared.reduce((n, f) => n + f.windows.length, 0);
  const fileResults: NabFileResult[] = prepared.map((f) => ({
    name: f.name,
    rows: f.rows,
    windows: f.windows.length,
    probation: f.probation,
    raw: {},
    st: {},
    detectedWindows: {},
    falsePositives: {},
  }));
  const out: Record<string, NabProfileResult> = {};
  for (const [name, cost] of Object.entries(profiles)) {
    const given = o.thresholds?.[name];
    const threshold = given ?? bestThreshold(sweepThresholds(prepared, cost)).threshold;
    let raw = 0;
    let detected = 0;
    let fps = 0;
    prepared.forEach((f, j) => {
      const s = scoreFile(f, threshold, cost);
      const r = fileResults[j]!;
      r.raw[name] = s.raw;
      r.st[name] = s.st;
      r.detectedWindows[name] = s.detected;
      r.falsePositives[name] = s.fp;
      raw += s.raw;
      detected += s.detected;
      fps += s.fp;
    });
    const nul = nullScore(windows, cost);
    const perfect = perfectScore(windows, cost);
    out[name] = {
      threshold,
      thresholdFrom: given === undefined ? 'sweep' : 'given',
      raw,
      null: nul,
      perfect,
      normalized: windows ? normalizeScore(raw, nul, perfect) : NaN,
      detectedWindows: detected,
      falsePositives: fps,
    };
  }
  return { windows, profiles: out, files: fileResults };
}
