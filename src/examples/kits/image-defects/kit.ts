/**
 * Image-defects kit: which parts should go to the rework station? Training images are parts that
 * passed inspection; nearest neighbours on raw pixels fail because the texture's phase differs in
 * every image, while networks that learn the texture (a convolutional autoencoder, rotnet) do not.
 */
import type { Matrix } from '../../../core/matrix.js';
import type { Detector } from '../../../detectors/detector.js';
import { createDetector } from '../../../detectors/registry.js';
import type { Kit, KitResult } from '../kit.js';
import { bestApproach, measure } from '../measure.js';
import { generateImageDefects, IMAGE_SIZE, type ImageSet } from './generate.js';

/** Parts photographed per day, and how many the rework station can take. */
export const PARTS_PER_DAY = 1000;
export const IMAGE_BUDGET = 80;

export interface ImageApproach {
  name: string;
  detector: string;
  options: Record<string, unknown>;
  deep?: boolean;
  /** Score by the worst 3x3 patch of per-pixel errors (from `explain`) instead of the image total. */
  worstPatch?: boolean;
}

/**
 * Per image, the largest mean of a 3x3 patch of per-pixel contributions: a scratch or spot covers
 * a few dozen of 1024 pixels, so a sum over the whole image drowns it in the texture's own error.
 */
export function worstPatch(perPixel: Matrix): Float64Array {
  const n = IMAGE_SIZE;
  const out = new Float64Array(perPixel.rows);
  for (let i = 0; i < perPixel.rows; i++) {
    const px = perPixel.data.subarray(i * perPixel.cols, (i + 1) * perPixel.cols);
    let worst = -Infinity;
    for (let y = 1; y < n - 1; y++) {
      for (let x = 1; x < n - 1; x++) {
        let s = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += px[(y + dy) * n + x + dx]!;
        if (s > worst) worst = s;
      }
    }
    out[i] = worst / 9;
  }
  return out;
}

const shape = { height: IMAGE_SIZE, width: IMAGE_SIZE, channels: 1 };

export const IMAGE_APPROACHES: ImageApproach[] = [
  { name: 'pixel knn', detector: 'knn', options: { nNeighbors: 5 } },
  { name: 'conv-autoencoder', detector: 'conv-autoencoder', options: { ...shape, epochs: 15, seed: 1 }, deep: true },
  { name: 'conv-autoencoder, worst 3x3 patch', detector: 'conv-autoencoder', options: { ...shape, epochs: 15, seed: 1 }, deep: true, worstPatch: true },
  { name: 'rotnet', detector: 'rotnet', options: { ...shape, filters: [16, 32, 64], epochs: 4, seed: 1 }, deep: true },
];

export interface ImageRun {
  name: string;
  validation: Float64Array;
  test: Float64Array;
}

/** Fits each approach on the training images and scores validation and test. */
export async function scoreImages(
  approaches: readonly ImageApproach[],
  data: { train: ImageSet; validation: ImageSet; test: ImageSet },
  o: { quick?: boolean; onProgress?: (m: string) => void },
): Promise<ImageRun[]> {
  const runs: ImageRun[] = [];
  const fitted = new Map<string, Detector>();
  for (const a of approaches) {
    if (o.quick && a.deep) continue;
    o.onProgress?.(`fitting ${a.name}`);
    // The worst-patch reading shares the plain reading's fitted network.
    const key = `${a.detector} ${JSON.stringify(a.options)}`;
    let d = fitted.get(key);
    if (!d) {
      d = createDetector(a.detector, a.options);
      await d.fit(data.train.X);
      fitted.set(key, d);
    }
    const det = d;
    const score = async (X: Matrix): Promise<Float64Array> => (a.worstPatch && det.explain ? worstPatch(await det.explain(X)) : det.score(X));
    runs.push({ name: a.name, validation: await score(data.validation.X), test: await score(data.test.X) });
  }
  return runs;
}

export const imageDefectsKit: Kit = {
  name: 'image-defects',
  summary: 'textured surface images with scratches and spots; rotnet and conv-autoencoder against pixel kNN',
  async run(o): Promise<KitResult> {
    const sizes = { train: Math.round(400 * o.size), validation: Math.round(300 * o.size), test: Math.round(400 * o.size), defectRate: 0.08 };
    const data = generateImageDefects(o.seed, sizes);
    const labels = Uint8Array.from(data.test.types, (t) => (t === 'none' ? 0 : 1));
    const runs = await scoreImages(IMAGE_APPROACHES, data, o);
    const days = (n: number): number => n / PARTS_PER_DAY;
    const measured = runs.map((r) => measure(r.name, { validation: r.validation, validationDays: days(sizes.validation), test: r.test, labels, testDays: days(sizes.test) }, IMAGE_BUDGET));
    const best = bestApproach(measured.map((m) => m.result));
    const defects = labels.reduce((a, b) => a + b, 0);
    return {
      kit: 'image-defects',
      data: `${IMAGE_SIZE}x${IMAGE_SIZE} greyscale surface images: ${sizes.train} defect-free for training, ${sizes.validation} for validation, ${sizes.test} for test (${defects} with a scratch or spot)`,
      budget: `${IMAGE_BUDGET} parts per day to rework, of ${PARTS_PER_DAY} photographed`,
      approaches: measured.map((m) => m.result),
      extraColumns: [],
      report: { approach: measured[best]!.result.name, scores: Array.from(runs[best]!.test), labels: Array.from(labels), threshold: measured[best]!.cutoff, rowsPerDay: PARTS_PER_DAY },
    };
  },
};
