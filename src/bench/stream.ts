/**
 * Stream-detector throughput: points per second on a synthetic seeded series (Gaussian noise with
 * a slow sine and rare spikes), one thread, each point scored, judged and learned (`update`).
 * Measurement only; no test depends on timing.
 */
import { performance } from 'node:perf_hooks';
import { Rng } from '../core/random.js';
import { DRIFT_DETECTORS, makeDriftDetector } from '../stream/drift/registry.js';
import { makeStreamDetector, STREAM_DETECTOR_SUMMARIES, STREAM_DETECTORS } from '../stream/registry.js';
import { FixedThreshold, SpotThreshold } from '../stream/stream-detector.js';

export interface StreamBenchResult {
  detector: string;
  points: number;
  channels: number;
  /** 'spot' (EVT, risk q) or 'fixed' (score > 4, or the detector's own fixed threshold). */
  threshold: 'spot' | 'fixed';
  seconds: number;
  pointsPerSecond: number;
  anomalies: number;
}

export function syntheticStream(n: number, channels: number, seed = 1): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      xs[i * channels + c] = Math.sin(i / 500 + c) + rng.normal() + (rng.next() < 1e-4 ? 10 : 0);
    }
  }
  return xs;
}

export function benchStream(
  { points = 1_000_000, channels = 1, risk = 1e-4, detectors = [...STREAM_DETECTORS] as string[] } = {},
): StreamBenchResult[] {
  const xs = syntheticStream(points, channels);
  const summary = (name: string) => STREAM_DETECTOR_SUMMARIES[name as (typeof STREAM_DETECTORS)[number]];
  const runs = detectors.flatMap((name) => (summary(name)?.evt === false ? (['fixed'] as const) : (['fixed', 'spot'] as const)).map((threshold) => ({ name, threshold })));
  return runs.map(({ name, threshold }) => {
    const n = Math.min(points, summary(name)?.benchPoints ?? points);
    const d = makeStreamDetector(name, {}, { threshold: threshold === 'spot' ? new SpotThreshold(risk) : new FixedThreshold(summary(name)?.fixed ?? 4), warmup: 1000 });
    let anomalies = 0;
    const t0 = performance.now();
    if (channels === 1) {
      for (let i = 0; i < n; i++) if (d.update(xs[i]!).anomaly) anomalies++;
    } else {
      for (let i = 0; i < n; i++) if (d.update(xs.subarray(i * channels, (i + 1) * channels)).anomaly) anomalies++;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { detector: name, points: n, channels, threshold, seconds, pointsPerSecond: n / seconds, anomalies };
  });
}

export interface DriftBenchResult {
  detector: string;
  points: number;
  seconds: number;
  pointsPerSecond: number;
  drifts: number;
}

/**
 * Drift-detector throughput on seeded N(0, 1) noise whose mean steps between 0 and 3 every 100,000
 * points, so the detectors also cut and restart (9 true changes per million points).
 */
export function benchDrift({ points = 1_000_000, detectors = [...DRIFT_DETECTORS] as string[] } = {}): DriftBenchResult[] {
  const rng = new Rng(2);
  const xs = Float64Array.from({ length: points }, (_, i) => rng.normal() + (Math.floor(i / 100_000) % 2) * 3);
  const options: Record<string, Record<string, number>> = { 'page-hinkley': { delta: 0.5, lambda: 50 } };
  return detectors.map((name) => {
    const d = makeDriftDetector(name, options[name] ?? {});
    let drifts = 0;
    const t0 = performance.now();
    for (let i = 0; i < points; i++) if (d.update(xs[i]!)) drifts++;
    const seconds = (performance.now() - t0) / 1000;
    return { detector: name, points, seconds, pointsPerSecond: points / seconds, drifts };
  });
}
