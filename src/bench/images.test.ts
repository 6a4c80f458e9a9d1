import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pngjs from 'pngjs';
import { Rng } from '../core/random.js';
import { benchImages, imageOptions, loadImageBenchSet } from './images.js';

// Small synthetic sets only: the real benchmark reads Fashion-MNIST and is run by `vigil bench images`.
const root = mkdtempSync(join(tmpdir(), 'vigil-bench-images-'));
after(() => rmSync(root, { recursive: true, force: true }));
const rng = new Rng(5);

/** A 4x4 image: class c is bright in quadrant c, plus a little noise. */
function pixels(c: number): number[] {
  return Array.from({ length: 16 }, (_, p) => {
    const q = (Math.floor(p / 8) << 1) | (p % 4 >= 2 ? 1 : 0);
    return Math.min(255, (q === c ? 200 : 20) + Math.floor(rng.next() * 30));
  });
}

function idx(dims: number[], values: number[]): Buffer {
  const out = Buffer.alloc(4 + 4 * dims.length + values.length);
  out[2] = 8;
  out[3] = dims.length;
  dims.forEach((d, k) => out.writeUInt32BE(d, 4 + 4 * k));
  out.set(values, 4 + 4 * dims.length);
  return out;
}

function writeIdxSplit(dir: string, prefix: string, labels: number[]): void {
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(idx([labels.length, 4, 4], labels.flatMap(pixels))));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idx([labels.length], labels));
}

test('one-class protocol on IDX files: each class normal in turn, ROC per class and mean', async () => {
  const dir = join(root, 'idx');
  mkdirSync(dir);
  const labels = (n: number): number[] => Array.from({ length: n }, (_, i) => i % 3);
  writeIdxSplit(dir, 'train', labels(30));
  writeIdxSplit(dir, 't10k', labels(15));
  const set = await loadImageBenchSet(dir);
  assert.equal(set.kind, 'idx');
  assert.deepEqual(set.classes, ['0', '1', '2']);
  const steps: number[] = [];
  const r = await benchImages(set, { detectors: ['knn', 'pca'], trainLimit: { knn: 4 }, onStep: (d) => steps.push(d) });
  assert.deepEqual(r.classes, ['0', '1', '2']);
  assert.equal(r.test_rows, 15);
  assert.deepEqual(r.detectors['knn']!.train_rows, [4, 4, 4]);
  assert.deepEqual(r.detectors['pca']!.train_rows, [10, 10, 10]);
  for (const d of ['knn', 'pca']) {
    assert.equal(r.detectors[d]!.per_class.length, 3);
    // Classes are separable by construction.
    assert.ok(r.detectors[d]!.mean_roc > 0.95, `${d} ${r.detectors[d]!.mean_roc}`);
  }
  assert.equal(steps.at(-1), 6);
  const only = await benchImages(set, { detectors: ['knn'], classes: ['2'] });
  assert.deepEqual(only.classes, ['2']);
  assert.equal(only.detectors['knn']!.per_class.length, 1);
  assert.deepEqual(only.detectors['knn']!.train_rows, [10]);
  await assert.rejects(benchImages(set, { detectors: ['knn'], classes: ['9'] }), /no class '9' in idx \(classes: 0, 1, 2\)/);
});

test('a normal/anomaly image folder: anomalies only in test, normal split 60/40', async () => {
  const dir = join(root, 'folder');
  const write = (cls: string, i: number, c: number): void => {
    mkdirSync(join(dir, cls), { recursive: true });
    const p = new pngjs.PNG({ width: 4, height: 4 });
    p.data = Buffer.from(pixels(c).flatMap((g) => [g, g, g, 255]));
    writeFileSync(join(dir, cls, `${i}.png`), pngjs.PNG.sync.write(p));
  };
  for (let i = 0; i < 10; i++) write('normal', i, 0);
  for (let i = 0; i < 4; i++) write('anomaly', i, 3);
  const set = await loadImageBenchSet(dir, { size: { height: 2, width: 2 } });
  assert.equal(set.kind, 'folder');
  assert.deepEqual(set.shape, { height: 2, width: 2, channels: 1 });
  assert.deepEqual(set.defaultNormal, ['normal']);
  assert.equal(set.train.X.rows, 6);
  assert.equal(set.test.X.rows, 8);
  assert.ok(set.train.y.every((k) => set.classes[k] === 'normal'));
  const r = await benchImages(set, { detectors: ['pca'] });
  assert.deepEqual(r.classes, ['normal']);
  assert.equal(r.detectors['pca']!.per_class.length, 1);
});

test('the image size reaches detectors whose options take it, and only those', () => {
  assert.deepEqual(imageOptions('knn', { height: 28, width: 28, channels: 1 }, { nNeighbors: 3 }), { nNeighbors: 3 });
});
