import { Model } from '../model/model.js';
import { createDetector } from '../detectors/registry.js';
import { defaultEngine } from '../engine/engine.js';
import type { Frame } from '../data/frame.js';
import { plantedOutliers } from './synthetic.js';

/**
 * What the browser test runs twice, in Node and bundled in Chromium, and compares: seeded fits of
 * one classical and one deep detector, and a model file saved in Node scored from its bytes.
 */
const data = plantedOutliers({ rows: 200, cols: 4, seed: 11 });

export const DEEP = { hiddenSizes: [8, 4], epochs: 4, batchSize: 32, seed: 3 };

function frame(): Frame {
  const { X } = data;
  return {
    rows: X.rows,
    columns: Array.from({ length: X.cols }, (_, j) => ({
      name: `x${j}`,
      kind: 'numeric' as const,
      values: Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]!),
    })),
  };
}

export interface FixtureScores {
  engine: string;
  iforest: number[];
  autoencoder: number[];
}

export async function fitAndScore(): Promise<FixtureScores> {
  const forest = createDetector('iforest', { seed: 5 });
  await forest.fit(data.X);
  const deep = createDetector('autoencoder', DEEP);
  await deep.fit(data.X);
  return {
    engine: (await defaultEngine()).name,
    iforest: [...(await forest.score(data.X))],
    autoencoder: [...(await deep.score(data.X))],
  };
}

/** A model file's bytes (Node: `saveModel`'s file, read back), as `Model.fit` on the fixture makes it. */
export async function fitModelBytes(detector: string, options: Record<string, unknown>): Promise<Uint8Array> {
  return (await Model.fit(frame(), { detector, options })).toBytes();
}

export async function scoreModelBytes(bytes: Uint8Array): Promise<number[]> {
  return [...(await Model.fromBytes(bytes).score(frame()))];
}
