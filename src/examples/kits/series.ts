/**
 * Series kits (equipment, vitals, prices): many units (machines, patients, assets), each a regular
 * series of channels with a 0/1 truth per step. Every approach is fitted per unit on the unit's
 * first steps and scores the whole series (so the validation and test steps have their history);
 * the validation and test steps of all units are pooled for the budget and the metrics.
 */
import { matrix, type Matrix } from '../../core/matrix.js';
import { createSeriesDetector } from '../../detectors/series/registry.js';
import { KIT_START } from './frames.js';
import type { KitReportInput } from './kit.js';

export interface SeriesUnit {
  id: string;
  /** steps x channels, in time order. */
  values: Matrix;
  labels: Uint8Array;
}

export interface SeriesApproach {
  name: string;
  deep?: boolean;
  /** Scores every step of `all`, having learned from its first `trainSteps` steps. */
  score(all: Matrix, trainSteps: number): Promise<Float64Array>;
}

/** A registered series detector as an approach. */
export function detectorApproach(name: string, detector: string, options: Record<string, unknown> = {}, deep = false): SeriesApproach {
  return {
    name,
    deep,
    async score(all, trainSteps) {
      const d = createSeriesDetector(detector, options);
      await d.fit(rowSlice(all, 0, trainSteps));
      return (await d.score(all)).score;
    },
  };
}

export function rowSlice(m: Matrix, from: number, to: number): Matrix {
  return matrix(to - from, m.cols, m.data.slice(from * m.cols, to * m.cols));
}

export interface SeriesRun {
  name: string;
  /** Per unit, every step's score. */
  perUnit: Float64Array[];
  validation: Float64Array;
  test: Float64Array;
}

export interface SeriesSplit {
  trainSteps: number;
  validationSteps: number;
}

function pooled(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The pooled test truth, in the order the runs pool their test scores. */
export function testLabels(units: readonly SeriesUnit[], s: SeriesSplit): Uint8Array {
  return Uint8Array.from(units.flatMap((u) => Array.from(u.labels.subarray(s.trainSteps + s.validationSteps))));
}

export async function runSeries(
  units: readonly SeriesUnit[],
  approaches: readonly SeriesApproach[],
  s: SeriesSplit,
  o: { quick?: boolean; onProgress?: (m: string) => void },
): Promise<SeriesRun[]> {
  const out: SeriesRun[] = [];
  const testAt = s.trainSteps + s.validationSteps;
  for (const a of approaches) {
    if (o.quick && a.deep) continue;
    o.onProgress?.(`fitting ${a.name} on ${units.length} series`);
    const perUnit: Float64Array[] = [];
    for (const u of units) perUnit.push(await a.score(u.values, s.trainSteps));
    out.push({
      name: a.name,
      perUnit,
      validation: pooled(perUnit.map((p) => p.slice(s.trainSteps, testAt))),
      test: pooled(perUnit.map((p) => p.slice(testAt))),
    });
  }
  return out;
}

/** A kit report of one unit's test steps: the best approach's scores, its truth and its first channel. */
export function unitReport(
  run: SeriesRun,
  unit: SeriesUnit,
  o: { index: number; testAt: number; cutoff: number; stepMs: number; channel: string; column?: number },
): KitReportInput {
  const scores = Array.from(run.perUnit[o.index]!.subarray(o.testAt));
  const value = Array.from({ length: scores.length }, (_, k) => unit.values.data[(o.testAt + k) * unit.values.cols + (o.column ?? 0)]!);
  return {
    approach: run.name,
    subject: unit.id,
    scores,
    labels: Array.from(unit.labels.subarray(o.testAt)),
    threshold: o.cutoff,
    rowsPerDay: 86_400_000 / o.stepMs,
    series: { t: value.map((_, k) => KIT_START + (o.testAt + k) * o.stepMs), value, name: o.channel, dates: true },
  };
}

/** The unit with the most labelled test steps: the one a report's chart shows best. */
export function busiestUnit(units: readonly SeriesUnit[], testAt: number): number {
  let best = 0;
  let most = -1;
  units.forEach((u, i) => {
    const n = u.labels.subarray(testAt).reduce((a, b) => a + b, 0);
    if (n > most) {
      most = n;
      best = i;
    }
  });
  return best;
}
