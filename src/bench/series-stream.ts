/**
 * Deep series scoring throughput: points arrive one at a time and are scored in micro-batches, each
 * batch with the `context` points before it, through the detector's public `score` (so the
 * standardisation, windowing and engine round trip are all timed). Fitting is not timed.
 * Measurement only; no test depends on timing.
 */
import { performance } from 'node:perf_hooks';
import { matrix } from '../core/matrix.js';
import { seriesDetectors } from '../detectors/series/index.js';
import { syntheticStream } from './stream.js';

export interface SeriesStreamResult {
  detector: string;
  points: number;
  channels: number;
  /** Past steps each score reads. */
  context: number;
  /** Points scored per `score` call. */
  microBatch: number;
  seconds: number;
  pointsPerSecond: number;
  /** Points per second of this process's CPU time (user + system): less swayed by other load on a shared machine. */
  pointsPerCpuSecond: number;
}

export async function benchSeriesStream(
  { detector = 'lstm', points = 20_000, channels = 1, microBatch = 64, trainSteps = 2000 } = {},
): Promise<SeriesStreamResult> {
  const def = seriesDetectors.find((d) => d.name === detector);
  if (!def) throw new Error(`no series detector '${detector}'`);
  // Two epochs: the network's size, not how well it fits, sets the scoring cost.
  const d = def({ epochs: 2 });
  const xs = syntheticStream(trainSteps + points, channels, 2);
  await d.fit(matrix(trainSteps, channels, xs.slice(0, trainSteps * channels)));
  const ctx = d.context;
  const buffer = matrix(ctx + microBatch, channels);
  let scored = 0;
  let sink = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // The stream starts after the training steps, whose last `context` points are the first history.
  let pending = 0;
  for (let i = trainSteps; i < trainSteps + points; i++) {
    pending++;
    if (pending < microBatch && i < trainSteps + points - 1) continue;
    const from = i + 1 - pending - ctx;
    const batch = pending === microBatch ? buffer : matrix(ctx + pending, channels);
    batch.data.set(xs.subarray(from * channels, (i + 1) * channels));
    const s = await d.score(batch);
    for (let k = ctx; k < s.score.length; k++) sink += s.score[k]!;
    scored += pending;
    pending = 0;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (!Number.isFinite(sink)) throw new Error(`${detector} gave non-finite scores`);
  return { detector, points: scored, channels, context: ctx, microBatch, seconds, pointsPerSecond: scored / seconds, pointsPerCpuSecond: scored / cpuSeconds };
}
