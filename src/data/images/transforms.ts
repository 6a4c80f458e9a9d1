import { DataError } from '../../core/errors.js';
import { matrix, type Matrix } from '../../core/matrix.js';
import { formatShape, pixelCount, type ImageShape } from './image.js';

/**
 * The geometric transformations a self-supervised image detector learns to tell apart: a
 * counter-clockwise rotation by 0, 90, 180 or 270 degrees, after a horizontal flip or not
 * (Golan & El-Yaniv 2018 use these with translations; Gidaris et al.'s RotNet the rotations).
 * Transformation t rotates by (t mod 4) quarter turns and flips when t >= 4.
 */
export const TRANSFORM_SETS = { rotations: 4, 'rotations-flips': 8 } as const;
export type TransformSet = keyof typeof TRANSFORM_SETS;

/**
 * For transformation t of a square image of side n: the source index (row-major, without the
 * channel) of every output pixel. Quarter turns turn rows into columns, hence the square.
 */
export function transformSource(t: number, n: number): Int32Array {
  const src = new Int32Array(n * n);
  const turns = t % 4;
  const flip = t >= 4;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // Output (i, j) of a counter-clockwise quarter turn reads input (j, n-1-i) (numpy's rot90).
      let [r, c] = [i, j];
      for (let q = 0; q < turns; q++) [r, c] = [c, n - 1 - r];
      src[i * n + j] = r * n + (flip ? n - 1 - c : c);
    }
  }
  return src;
}

/** Images that quarter turns keep in shape: square ones. */
export function checkSquare(shape: ImageShape, who: string): void {
  if (shape.height !== shape.width) {
    throw new DataError(`${who}: rotating by quarter turns needs square images, got ${formatShape(shape)}; resize them first (e.g. --size ${Math.max(shape.height, shape.width)})`);
  }
}

/** Every image of X under transformation t (rows as in X, HWC pixels). */
export function transformImages(X: Matrix, shape: ImageShape, t: number): Matrix {
  checkSquare(shape, 'image transform');
  const px = pixelCount(shape);
  if (X.cols !== px) throw new DataError(`image transform: rows have ${X.cols} values, ${formatShape(shape)} images have ${px}`);
  const c = shape.channels;
  const src = transformSource(t, shape.height);
  const out = matrix(X.rows, X.cols);
  for (let r = 0; r < X.rows; r++) {
    const o = r * px;
    for (let p = 0; p < src.length; p++) {
      const s = o + src[p]! * c;
      for (let k = 0; k < c; k++) out.data[o + p * c + k] = X.data[s + k]!;
    }
  }
  return out;
}
