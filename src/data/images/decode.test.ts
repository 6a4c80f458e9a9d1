import { test } from 'node:test';
import assert from 'node:assert/strict';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { decodeImage, imageFormatOf, imagePixels } from './decode.js';
import { imageFromBytes } from './folder.js';
import { resizeBilinear } from './image.js';

/** A PNG from RGBA bytes, written with pngjs. */
function png(width: number, height: number, rgba: ArrayLike<number>, colorType: 0 | 2 | 6 = 6): Uint8Array {
  const p = new pngjs.PNG({ width, height, colorType, inputColorType: 6 });
  p.data = Buffer.from(Array.from(rgba));
  return new Uint8Array(pngjs.PNG.sync.write(p, { colorType, inputColorType: 6 }));
}

function jpg(width: number, height: number, rgba: ArrayLike<number>, quality = 100): Uint8Array {
  return new Uint8Array(jpeg.encode({ width, height, data: Buffer.from(Array.from(rgba)) }, quality).data);
}

/** RGBA from gray values. */
const grayRgba = (v: number[]): number[] => v.flatMap((g) => [g, g, g, 255]);

test('a gray PNG reads back exactly, as one channel scaled to [0, 1]', () => {
  const values = [0, 80, 160, 240, 255, 1];
  for (const ct of [0, 6] as const) {
    const img = decodeImage(png(3, 2, grayRgba(values), ct), 'g.png');
    assert.ok(img.gray);
    const { shape, pixels } = imagePixels(img);
    assert.deepEqual(shape, { height: 2, width: 3, channels: 1 });
    assert.deepEqual(Array.from(pixels), values.map((v) => v / 255));
  }
});

test('an RGB PNG keeps its channels in HWC order; gray is the 601 luma', () => {
  const rng = new Rng(3);
  const rgba = Array.from({ length: 4 * 5 * 4 }, (_, i) => (i % 4 === 3 ? 255 : Math.floor(rng.next() * 256)));
  const img = decodeImage(png(4, 5, rgba), 'c.png');
  assert.ok(!img.gray);
  const rgb = imagePixels(img);
  assert.deepEqual(rgb.shape, { height: 5, width: 4, channels: 3 });
  const want = rgba.filter((_, i) => i % 4 !== 3).map((v) => v / 255);
  assert.deepEqual(Array.from(rgb.pixels), want);
  const gray = imagePixels(img, { color: 'gray' });
  assert.deepEqual(gray.shape, { height: 5, width: 4, channels: 1 });
  const [r, g, b] = rgba.slice(0, 3) as [number, number, number];
  assert.ok(Math.abs(gray.pixels[0]! - (0.299 * r + 0.587 * g + 0.114 * b) / 255) < 1e-12);
  // A gray image asked for rgb repeats its value in every channel.
  const asRgb = imagePixels(decodeImage(png(1, 1, [9, 9, 9, 255]), 'one.png'), { color: 'rgb' });
  assert.deepEqual(Array.from(asRgb.pixels), [9 / 255, 9 / 255, 9 / 255]);
});

test('JPEG reads back close to what was written, gray and RGB', () => {
  // Smooth content so quality-100 JPEG stays within a few levels.
  const w = 16;
  const h = 8;
  const grayVals = Array.from({ length: w * h }, (_, p) => 40 + 8 * (p % w) + 4 * Math.floor(p / w));
  const g = decodeImage(jpg(w, h, grayRgba(grayVals)), 'g.jpg');
  assert.equal(g.width, w);
  assert.equal(g.height, h);
  const gp = imagePixels(g, { color: 'gray' });
  assert.equal(gp.shape.channels, 1);
  gp.pixels.forEach((v, i) => assert.ok(Math.abs(v * 255 - grayVals[i]!) <= 3, `pixel ${i}: ${v * 255} vs ${grayVals[i]}`));
  const rgba = Array.from({ length: w * h }, (_, p) => [200 - 5 * (p % w), 30 + 3 * Math.floor(p / w), 90, 255]).flat();
  const c = imagePixels(decodeImage(jpg(w, h, rgba), 'c.jpg'), { color: 'rgb' });
  assert.deepEqual(c.shape, { height: h, width: w, channels: 3 });
  const want = rgba.filter((_, i) => i % 4 !== 3);
  c.pixels.forEach((v, i) => assert.ok(Math.abs(v * 255 - want[i]!) <= 4, `value ${i}: ${v * 255} vs ${want[i]}`));
});

test('bilinear enlarging: 2x2 to 4x4, checked by hand', () => {
  // [[0, 80], [160, 240]]: output (1, 1) samples source (0.25, 0.25):
  // 0.75*0.75*0 + 0.75*0.25*80 + 0.25*0.75*160 + 0.25*0.25*240 = 15 + 30 + 15 = 60.
  const { shape, pixels } = imagePixels(decodeImage(png(2, 2, grayRgba([0, 80, 160, 240])), 'small.png'), { size: { height: 4, width: 4 } });
  assert.deepEqual(shape, { height: 4, width: 4, channels: 1 });
  const at = (y: number, x: number): number => pixels[y * 4 + x]! * 255;
  assert.ok(Math.abs(at(1, 1) - 60) < 1e-9);
  // Corners clamp to the corner pixels; (0, 1) samples (-0.25 -> 0, 0.25): 0.75*0 + 0.25*80 = 20.
  assert.ok(Math.abs(at(0, 0) - 0) < 1e-9);
  assert.ok(Math.abs(at(3, 3) - 240) < 1e-9);
  assert.ok(Math.abs(at(0, 1) - 20) < 1e-9);
  // Symmetric: (2, 2) samples (0.75, 0.75): 0.0625*0 + 0.1875*80 + 0.1875*160 + 0.5625*240 = 180.
  assert.ok(Math.abs(at(2, 2) - 180) < 1e-9);
});

test('bilinear shrinking widens the filter (no aliasing), per channel', () => {
  // 4 -> 2 wide: output 0 is centred at 1.0 with support 2: weights .75, .75, .25 on pixels 0, 1, 2.
  const hwc = Float64Array.from([0, 0.5, 0.4, 0.5, 0.8, 0.5, 1, 0.5]);
  const out = resizeBilinear(hwc, { height: 1, width: 4, channels: 2 }, 1, 2);
  assert.ok(Math.abs(out[0]! - (0.75 * 0 + 0.75 * 0.4 + 0.25 * 0.8) / 1.75) < 1e-12);
  assert.ok(Math.abs(out[2]! - (0.25 * 0.4 + 0.75 * 0.8 + 0.75 * 1) / 1.75) < 1e-12);
  assert.equal(out[1], 0.5);
  assert.equal(out[3], 0.5);
  // A constant image stays constant at any size.
  const flat = resizeBilinear(new Float64Array(7 * 5).fill(0.3), { height: 7, width: 5, channels: 1 }, 3, 11);
  flat.forEach((v) => assert.ok(Math.abs(v - 0.3) < 1e-12));
});

test('the format comes from the bytes; bad bytes are DataErrors naming the file', () => {
  const p = png(1, 1, [1, 2, 3, 255]);
  assert.equal(imageFormatOf(p), 'png');
  assert.equal(imageFormatOf(jpg(1, 1, [1, 2, 3, 255])), 'jpeg');
  assert.equal(imageFormatOf(new Uint8Array([1, 2, 3])), undefined);
  const one = imageFromBytes(p, 'x.jpg');
  assert.deepEqual(one.shape, { height: 1, width: 1, channels: 3 });
  assert.throws(() => decodeImage(new TextEncoder().encode('hello'), 'a.png'), (e: unknown) => e instanceof DataError && e.message === 'a.png: not a PNG or JPEG image');
  assert.throws(() => decodeImage(p.subarray(0, 30), 'cut.png'), (e: unknown) => e instanceof DataError && /^cut\.png: cannot decode PNG/.test(e.message));
  const j = jpg(8, 8, new Array(256).fill(100));
  assert.throws(() => decodeImage(j.subarray(0, 40), 'cut.jpg'), (e: unknown) => e instanceof DataError && /^cut\.jpg: cannot decode JPEG/.test(e.message));
});
