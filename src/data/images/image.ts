import { DataError } from '../../core/errors.js';
import type { Matrix } from '../../core/matrix.js';

/**
 * Images as the rest of vigil sees them: one row of a `Matrix` per image, the pixels flattened
 * row-major in height x width x channels order (channels last, as Keras and the engine's conv
 * layers expect), every value in [0, 1]. Any detector can take the flat rows; a convolutional
 * one reshapes each row to [height, width, channels].
 */
export interface ImageShape {
  height: number;
  width: number;
  /** 1 (gray) or 3 (red, green, blue). */
  channels: number;
}

export interface Images {
  /** rows = images, cols = height * width * channels. */
  X: Matrix;
  shape: ImageShape;
}

/** Images that each belong to a named class (an IDX label, or the subfolder a file is in). */
export interface ClassImages extends Images {
  /** Class names, sorted; `y` indexes into them. */
  classes: string[];
  /** The class index of each image. */
  y: Int32Array;
}

export type Color = 'gray' | 'rgb';

export function channelsOf(color: Color): number {
  return color === 'gray' ? 1 : 3;
}

export function pixelCount(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/** Rows must hold one flattened height x width x channels image each (DataError naming `who` otherwise). */
export function checkImageRows(who: string, shape: ImageShape, X: Pick<Matrix, 'cols'>): void {
  const want = pixelCount(shape);
  if (X.cols !== want) {
    throw new DataError(`${who}: rows have ${X.cols} values but height x width x channels = ${shape.height} x ${shape.width} x ${shape.channels} = ${want}`);
  }
}

export function sameShape(a: ImageShape, b: ImageShape): boolean {
  return a.height === b.height && a.width === b.width && a.channels === b.channels;
}

export function formatShape(s: ImageShape): string {
  return `${s.height}x${s.width}x${s.channels}`;
}

/**
 * Resizes one HWC image with a triangle (bilinear) filter, as Pillow's `resize(..., BILINEAR)`:
 * pixel centres at half-integers, so enlarging is ordinary bilinear interpolation clamped at the
 * edges, and shrinking widens the filter to the scale factor so every source pixel contributes
 * (no aliasing when a 256-pixel image becomes 28). Separable: rows first, then columns.
 */
export function resizeBilinear(pixels: ArrayLike<number>, from: ImageShape, height: number, width: number): Float64Array {
  const c = from.channels;
  if (pixels.length !== pixelCount(from)) {
    throw new RangeError(`image has ${pixels.length} values, expected ${formatShape(from)}`);
  }
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new RangeError(`cannot resize to ${height}x${width}`);
  }
  if (from.height === height && from.width === width) return Float64Array.from(pixels);
  const wx = filterWeights(from.width, width);
  const wy = filterWeights(from.height, height);
  // Horizontal pass: from.height x width x c.
  const mid = new Float64Array(from.height * width * c);
  for (let y = 0; y < from.height; y++) {
    for (let x = 0; x < width; x++) {
      const { start, weights } = wx[x]!;
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) s += weights[k]! * pixels[(y * from.width + start + k) * c + ch]!;
        mid[(y * width + x) * c + ch] = s;
      }
    }
  }
  // Vertical pass: height x width x c.
  const out = new Float64Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const { start, weights } = wy[y]!;
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) s += weights[k]! * mid[((start + k) * width + x) * c + ch]!;
        out[(y * width + x) * c + ch] = s;
      }
    }
  }
  return out;
}

/** For each output coordinate, the first source index and the normalised triangle weights from there on. */
function filterWeights(inSize: number, outSize: number): { start: number; weights: Float64Array }[] {
  const scale = inSize / outSize;
  const spread = Math.max(scale, 1);
  const out: { start: number; weights: Float64Array }[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - spread));
    const hi = Math.min(inSize - 1, Math.ceil(centre + spread));
    const w: number[] = [];
    let first = -1;
    let total = 0;
    for (let i = lo; i <= hi; i++) {
      const t = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / spread));
      if (t === 0 && first < 0) continue;
      if (first < 0) first = i;
      w.push(t);
      total += t;
    }
    while (w.length > 1 && w[w.length - 1] === 0) w.pop();
    out.push({ start: first, weights: Float64Array.from(w, (v) => v / total) });
  }
  return out;
}
