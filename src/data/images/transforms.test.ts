import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { transformImages, transformSource, TRANSFORM_SETS } from './transforms.js';

const n = 3;
// 0 1 2 / 3 4 5 / 6 7 8: every pixel distinct, so each transformation has one source map.
const image = matrix(1, n * n, Float64Array.from({ length: n * n }, (_, i) => i));
const shape = { height: n, width: n, channels: 1 };
const apply = (t: number) => Array.from(transformImages(image, shape, t).data);

test('quarter turns are counter-clockwise (numpy rot90) and the flip mirrors left-right before turning', () => {
  assert.deepEqual(apply(0), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(apply(1), [2, 5, 8, 1, 4, 7, 0, 3, 6]);
  assert.deepEqual(apply(2), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.deepEqual(apply(3), [6, 3, 0, 7, 4, 1, 8, 5, 2]);
  assert.deepEqual(apply(4), [2, 1, 0, 5, 4, 3, 8, 7, 6]);
  assert.deepEqual(apply(5), [0, 3, 6, 1, 4, 7, 2, 5, 8]); // the flip then a quarter turn is the transpose
});

test('the 8 transformations are distinct, and each is a permutation of the pixels', () => {
  const seen = new Set<string>();
  for (let t = 0; t < TRANSFORM_SETS['rotations-flips']; t++) {
    const src = transformSource(t, 5);
    assert.deepEqual([...src].sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i));
    seen.add(src.join(','));
  }
  assert.equal(seen.size, 8);
});

test('a turn applied to a turned image adds up: 1 then 1 is 2, 1 then 3 is the identity', () => {
  const once = transformImages(image, shape, 1);
  assert.deepEqual(Array.from(transformImages(once, shape, 1).data), apply(2));
  assert.deepEqual(Array.from(transformImages(once, shape, 3).data), apply(0));
});

test('channels move with their pixel, and every row is transformed', () => {
  const rgb = matrix(2, 2 * 2 * 3, Float64Array.from({ length: 24 }, (_, i) => i));
  const out = transformImages(rgb, { height: 2, width: 2, channels: 3 }, 1);
  // Row 0 pixels (r, c): (0,0)=0..2 (0,1)=3..5 (1,0)=6..8 (1,1)=9..11; a quarter turn puts (0,1) at (0,0).
  assert.deepEqual(Array.from(out.data.subarray(0, 12)), [3, 4, 5, 9, 10, 11, 0, 1, 2, 6, 7, 8]);
  assert.deepEqual(Array.from(out.data.subarray(12)), [15, 16, 17, 21, 22, 23, 12, 13, 14, 18, 19, 20]);
});

test('non-square images and rows of the wrong size are DataErrors', () => {
  assert.throws(() => transformImages(matrix(1, 6), { height: 2, width: 3, channels: 1 }, 1), (e: unknown) => e instanceof DataError && /square images, got 2x3x1.*--size 3/.test((e as Error).message));
  assert.throws(() => transformImages(matrix(1, 8), shape, 1), (e: unknown) => e instanceof DataError && /rows have 8 values, 3x3x1 images have 9/.test((e as Error).message));
});
