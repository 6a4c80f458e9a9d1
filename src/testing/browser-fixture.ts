import { Model } from '../model/model.js';
import { createDetector } from '../detectors/registry.js';
import { defaultEngine } from '../engine/engine.js';
import type { Frame } from '../data/frame.js';
import { openCsv } from '../data/csv.js';
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

/** CSV texts whose parse (or error) must not depend on the platform's parser (csv-parser-node/-browser). */
const CSV_CASES = [
  'a,b\n1,2\n3,4\n',
  'v\n1\n2\n3\n4\n5\n6\n7\n',
  'v,w\n1,1\n2,2\n3,3\n4,4\n5\n',
  '\ufeffid;name\r\n"1";"x; y"\r\n2;"say ""hi"""\r\n',
  'a,b\n1,2\n\n   \n3,4',
  'a\tb\n"multi\nline"\t2\n',
  'a,b\n1,2\n3\n',
  'a,b\n1,"2\n',
  'a,b\n',
  '',
];

/** Each case as header and row chunks (3 rows a chunk), or its error. */
export async function csvCases(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const text of CSV_CASES) {
    try {
      const t = await openCsv(text, { chunkRows: 3, source: 'case.csv' });
      const chunks: unknown[] = [];
      for await (const c of t.chunks()) chunks.push(c);
      out.push({ header: t.header, chunks });
    } catch (e) {
      out.push({ error: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
  return out;
}
