/**
 * Greyscale inspection images of a woven surface (32 x 32, pixels in [0, 1]): two gratings at
 * fixed angles and frequencies with a random phase per image (the camera never sees the same
 * spot twice), uneven lighting and sensor noise. Defects, each image labelled: a `scratch` (a thin
 * bright or dark line at any angle) or a `spot` (a small dark stain).
 */
import { matrix, type Matrix } from '../../../core/matrix.js';
import { Rng } from '../../../core/random.js';

export const IMAGE_SIZE = 32;

export type DefectType = 'none' | 'scratch' | 'spot';

export interface ImageSet {
  /** One image per row, IMAGE_SIZE x IMAGE_SIZE pixels row-major (channels last, one channel). */
  X: Matrix;
  types: DefectType[];
}

function surface(rng: Rng, px: Float64Array): void {
  const n = IMAGE_SIZE;
  const p1 = 2 * Math.PI * rng.next();
  const p2 = 2 * Math.PI * rng.next();
  const gx = 0.1 * rng.normal();
  const gy = 0.1 * rng.normal();
  const a1 = (30 * Math.PI) / 180;
  const a2 = (105 * Math.PI) / 180;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const u = x * Math.cos(a1) + y * Math.sin(a1);
      const v = x * Math.cos(a2) + y * Math.sin(a2);
      const light = 0.5 + gx * (x / n - 0.5) + gy * (y / n - 0.5);
      px[y * n + x] = light + 0.18 * Math.sin(0.9 * u + p1) + 0.1 * Math.sin(0.45 * v + p2) + 0.04 * rng.normal();
    }
  }
}

function scratch(rng: Rng, px: Float64Array): void {
  const n = IMAGE_SIZE;
  const angle = Math.PI * rng.next();
  const len = 10 + rng.int(14);
  const x0 = 6 + rng.next() * (n - 12);
  const y0 = 6 + rng.next() * (n - 12);
  const delta = (rng.next() < 0.5 ? -1 : 1) * (0.3 + 0.2 * rng.next());
  for (let s = -len / 2; s <= len / 2; s += 0.5) {
    const x = Math.round(x0 + s * Math.cos(angle));
    const y = Math.round(y0 + s * Math.sin(angle));
    if (x >= 0 && x < n && y >= 0 && y < n) px[y * n + x] = 0.5 + delta;
  }
}

function spot(rng: Rng, px: Float64Array): void {
  const n = IMAGE_SIZE;
  const r = 1.5 + 2 * rng.next();
  const cx = 5 + rng.next() * (n - 10);
  const cy = 5 + rng.next() * (n - 10);
  const depth = 0.3 + 0.2 * rng.next();
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (r * r);
      px[y * n + x] = px[y * n + x]! - depth * Math.exp(-d2);
    }
  }
}

/** `count` images, a share `defectRate` of them defective (scratches and spots equally often). */
export function generateImages(rng: Rng, count: number, defectRate: number): ImageSet {
  const X = matrix(count, IMAGE_SIZE * IMAGE_SIZE);
  const types: DefectType[] = [];
  for (let i = 0; i < count; i++) {
    const px = X.data.subarray(i * X.cols, (i + 1) * X.cols);
    surface(rng, px);
    const type: DefectType = rng.next() < defectRate ? (rng.next() < 0.5 ? 'scratch' : 'spot') : 'none';
    if (type === 'scratch') scratch(rng, px);
    if (type === 'spot') spot(rng, px);
    for (let k = 0; k < px.length; k++) px[k] = Math.min(1, Math.max(0, px[k]!));
    types.push(type);
  }
  return { X, types };
}

/** Seeded train (defect-free: parts that passed inspection), validation and test sets. */
export function generateImageDefects(seed: number, o: { train: number; validation: number; test: number; defectRate: number }): { train: ImageSet; validation: ImageSet; test: ImageSet } {
  const rng = new Rng(seed);
  return { train: generateImages(rng, o.train, 0), validation: generateImages(rng, o.validation, o.defectRate), test: generateImages(rng, o.test, o.defectRate) };
}
