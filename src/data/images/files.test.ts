import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { readIdxSplit, readImageFile, readImageFolder } from './files.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-images-'));
after(() => rmSync(root, { recursive: true, force: true }));

function png(width: number, height: number, gray: number[]): Buffer {
  const p = new pngjs.PNG({ width, height });
  p.data = Buffer.from(gray.flatMap((g) => [g, g, g, 255]));
  return pngjs.PNG.sync.write(p);
}

function jpg(width: number, height: number, gray: number[]): Buffer {
  return jpeg.encode({ width, height, data: Buffer.from(gray.flatMap((g) => [g, g, g, 255])) }, 100).data;
}

function write(dir: string, name: string, bytes: Uint8Array | string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const rng = new Rng(11);
const flat = (n: number, v: number): number[] => new Array(n).fill(v);

test('a folder of normal and anomaly subfolders reads as labelled rows, classes and files sorted', async () => {
  const dir = join(root, 'labelled');
  const normal = [flat(16, 20), flat(16, 30), flat(16, 40)];
  normal.forEach((g, i) => write(join(dir, 'normal'), `n${i}.png`, png(4, 4, g)));
  write(join(dir, 'anomaly'), 'a0.jpg', jpg(4, 4, flat(16, 200)));
  write(join(dir, 'anomaly'), 'a1.JPEG', jpg(4, 4, flat(16, 220)));
  write(join(dir, 'anomaly'), 'notes.txt', 'not an image');
  write(join(dir, 'anomaly'), '.hidden.png', 'not read');
  const set = await readImageFolder(dir);
  assert.deepEqual(set.classes, ['anomaly', 'normal']);
  assert.deepEqual(set.shape, { height: 4, width: 4, channels: 1 });
  assert.equal(set.X.rows, 5);
  assert.equal(set.X.cols, 16);
  assert.deepEqual(set.files, [join(dir, 'anomaly/a0.jpg'), join(dir, 'anomaly/a1.JPEG'), ...[0, 1, 2].map((i) => join(dir, `normal/n${i}.png`))]);
  assert.deepEqual(Array.from(set.y), [0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(set.labels!), [1, 1, 0, 0, 0]);
  assert.equal(set.X.data[2 * 16], 20 / 255);
  assert.ok(Math.abs(set.X.data[0]! * 255 - 200) <= 2);
});

test('other class names give no labels; rgb and resizing apply to every image', async () => {
  const dir = join(root, 'classes');
  const noise = (): number[] => Array.from({ length: 36 }, () => Math.floor(rng.next() * 256));
  write(join(dir, 'cat'), 'x.png', png(6, 6, noise()));
  write(join(dir, 'dog'), 'y.png', png(3, 3, flat(9, 128)));
  await assert.rejects(readImageFolder(dir), (e: unknown) => e instanceof DataError && /y\.png is 3x3 but .*x\.png is 6x6; give a size/.test(e.message));
  const set = await readImageFolder(dir, { color: 'rgb', size: { height: 2, width: 2 } });
  assert.equal(set.labels, undefined);
  assert.deepEqual(set.classes, ['cat', 'dog']);
  assert.deepEqual(set.shape, { height: 2, width: 2, channels: 3 });
  assert.equal(set.X.cols, 12);
  for (let j = 12; j < 24; j++) assert.ok(Math.abs(set.X.data[j]! - 128 / 255) < 1e-12);
  const one = await readImageFile(join(dir, 'dog', 'y.png'), { size: { height: 5, width: 5 } });
  assert.deepEqual(one.shape, { height: 5, width: 5, channels: 1 });
});

test('folder errors are one line naming the folder or file', async () => {
  await assert.rejects(readImageFolder(join(root, 'missing')), /^DataError: no such file or folder: .*missing$/);
  const empty = join(root, 'empty');
  mkdirSync(join(empty, 'normal'), { recursive: true });
  await assert.rejects(readImageFolder(empty), /empty\/normal holds no \.png, \.jpg or \.jpeg files/);
  const flatDir = join(root, 'flat');
  write(flatDir, 'a.png', png(1, 1, [0]));
  await assert.rejects(readImageFolder(flatDir), /has no class subfolders/);
  const bad = join(root, 'bad');
  write(join(bad, 'c'), 'broken.png', 'hello');
  await assert.rejects(readImageFolder(bad), (e: unknown) => e instanceof DataError && e.message === `${join(bad, 'c', 'broken.png')}: not a PNG or JPEG image`);
});

test('an MNIST-style folder: images and labels, one gzipped and one plain', async () => {
  const dir = join(root, 'mnist');
  const idx = (dims: number[], values: number[]): Uint8Array => {
    const out = new Uint8Array(4 + 4 * dims.length + values.length);
    out[2] = 8;
    out[3] = dims.length;
    dims.forEach((d, k) => new DataView(out.buffer).setUint32(4 + 4 * k, d));
    out.set(values, 4 + 4 * dims.length);
    return out;
  };
  write(dir, 'train-images-idx3-ubyte.gz', gzipSync(idx([2, 2, 2], [0, 51, 102, 153, 204, 255, 0, 0])));
  // Named without .gz but gzipped: the magic bytes decide.
  write(dir, 'train-labels-idx1-ubyte', gzipSync(idx([2], [3, 1])));
  const set = await readIdxSplit(dir, 'train');
  assert.deepEqual(set.shape, { height: 2, width: 2, channels: 1 });
  assert.deepEqual(Array.from(set.X.data.subarray(0, 4)), [0, 0.2, 0.4, 0.6]);
  assert.deepEqual(set.classes, ['1', '3']);
  assert.deepEqual(Array.from(set.y), [1, 0]);
  await assert.rejects(readIdxSplit(dir, 't10k'), /no t10k-images-idx3-ubyte \(or \.gz\) in /);
});
