import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { Rng } from '../core/random.js';
import { readImageFile } from '../data/images/index.js';
import { loadModel } from '../persist/file.js';
import { imageFrame, imageShapeOf } from './image-input.js';

const BIN = fileURLToPath(new URL('./main.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'vigil-image-input-'));
after(() => rmSync(root, { recursive: true, force: true }));

function vigil(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, VIGIL_NO_PROGRESS: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const rng = new Rng(3);

/** A size x size PNG: bright left half (or top half when `flip`), a little noise; colour when `rgb`. */
function png(size: number, o: { flip?: boolean; rgb?: boolean } = {}): Buffer {
  const img = new pngjs.PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bright = (o.flip ? y : x) < size / 2;
      const v = Math.floor((bright ? 200 : 40) + rng.next() * 40);
      img.data.set(o.rgb ? [v, 255 - v, (v * 7) % 256, 255] : [v, v, v, 255], (y * size + x) * 4);
    }
  }
  return pngjs.PNG.sync.write(img);
}

function folder(name: string, files: Record<string, Buffer | string>): string {
  const dir = join(root, name);
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function images(n: number, size: number, o: { flip?: boolean; rgb?: boolean; prefix?: string } = {}): Record<string, Buffer> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${o.prefix ?? ''}img${String(i).padStart(2, '0')}.png`, png(size, o)]));
}

/** `path,score,is_anomaly` rows of a scores file. */
function readScores(file: string): { header: string; rows: [string, number, number][] } {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  return { header: header!, rows: lines.map((l) => l.split(',')).map(([p, s, a]) => [p!, Number(s), Number(a)]) };
}

test('fit on a folder of PNGs, score new images in another process: one row per file keyed by path, the library scores the same', async () => {
  const train = folder('train', images(24, 8));
  const fresh = folder('fresh', { ...images(3, 8, { prefix: 'normal-' }), ...images(3, 8, { flip: true, prefix: 'odd-' }) });
  const model = join(root, 'pca.vigil');
  const fit = vigil('fit', '--data', train, '--detector', 'pca', '--out', model);
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.err, /24 images from .*train, 8x8 gray/);
  assert.match(fit.out, /fitted pca on 24 rows x 64 features/);
  const out = join(root, 'scores.csv');
  const sc = vigil('score', '--model', model, '--data', fresh, '--out', out);
  assert.equal(sc.code, 0, sc.err);
  assert.equal(sc.err, '', 'nothing resized, nothing said');
  const { header, rows } = readScores(out);
  assert.equal(header, 'path,score,is_anomaly');
  assert.deepEqual(
    rows.map((r) => r[0]),
    ['normal-img00.png', 'normal-img01.png', 'normal-img02.png', 'odd-img00.png', 'odd-img01.png', 'odd-img02.png'].map((f) => join(fresh, f)),
  );
  // Images unlike the training ones score above every like one and are flagged.
  const normal = rows.slice(0, 3).map((r) => r[1]);
  const odd = rows.slice(3).map((r) => r[1]);
  assert.ok(Math.min(...odd) > Math.max(...normal), `odd ${odd} vs normal ${normal}`);
  assert.deepEqual(rows.slice(3).map((r) => r[2]), [1, 1, 1]);
  // The same model in this process scores the same files the same, to the last digit.
  const m = await loadModel(model);
  const shape = imageShapeOf(m.columns)!;
  assert.deepEqual(shape, { height: 8, width: 8, channels: 1 });
  for (const [path, score] of rows) {
    const { X } = await readImageFile(path, { color: 'gray' });
    assert.equal((await m.score(imageFrame(X, shape)))[0], score);
  }
  // The training rows the fit reported above the threshold are the ones score flags.
  const again = join(root, 'train-scores.csv');
  assert.equal(vigil('score', '--model', model, '--data', train, '--out', again).code, 0);
  const flagged = readScores(again).rows.filter((r) => r[2] === 1).length;
  assert.match(fit.out, new RegExp(`: ${flagged} training rows above it`));
});

test('rotnet from the CLI: class subfolders, colour images, the shape filled into its options and kept in the model', async () => {
  const train = folder('rgb', { ...images(8, 8, { rgb: true, prefix: 'a/' }), ...images(8, 8, { rgb: true, prefix: 'b/' }) });
  const model = join(root, 'rotnet.vigil');
  const fit = vigil('fit', '--data', train, '--detector', 'rotnet', '--set', 'epochs=1', '--set', 'featureSize=8', '--out', model);
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.err, /16 images from .*, 8x8 rgb/);
  const m = await loadModel(model);
  assert.deepEqual(imageShapeOf(m.columns), { height: 8, width: 8, channels: 3 });
  const o = m.detector.options as Record<string, unknown>;
  assert.deepEqual([o['height'], o['width'], o['channels']], [8, 8, 3]);
  const out = join(root, 'rotnet.csv');
  assert.equal(vigil('score', '--model', model, '--data', join(train, 'b'), '--out', out).code, 0);
  const { rows } = readScores(out);
  assert.equal(rows.length, 8);
  assert.ok(rows.every((r) => r[0].startsWith(join(train, 'b')) && Number.isFinite(r[1])));
});

test('--size resizes at fit and the model size travels to score; mixed sizes without it are one error', async () => {
  const mixed = folder('mixed', { ...images(6, 8), ...images(6, 12, { prefix: 'big-' }) });
  const bad = vigil('fit', '--data', mixed, '--detector', 'pca', '--out', join(root, 'x.vigil'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^vigil: .*img00\.png is 8x8 but .*big-img00\.png is 12x12; give a size \(--size HxW\)/);
  assert.equal(bad.err.trim().split('\n').length, 1);
  const model = join(root, 'sized.vigil');
  const fit = vigil('fit', '--data', mixed, '--detector', 'pca', '--size', '6x6', '--out', model);
  assert.equal(fit.code, 0, fit.err);
  assert.match(fit.err, /12 images from .*, 6x6 gray \(12 resized\)/);
  assert.deepEqual(imageShapeOf((await loadModel(model)).columns), { height: 6, width: 6, channels: 1 });
  const out = join(root, 'sized.csv');
  const sc = vigil('score', '--model', model, '--data', folder('big', images(2, 16, { rgb: true })), '--out', out);
  assert.equal(sc.code, 0, sc.err);
  assert.match(sc.err, /^vigil: resized 2 of 2 images to the model's 6x6\n$/);
  assert.equal(readScores(out).rows.length, 2);
});

test('an IDX file: fit and score, ids are the image numbers', () => {
  const n = 12;
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, n, 0, 0, 0, 4, 0, 0, 0, 4]);
  const idx = join(root, 'tiny-images-idx3-ubyte');
  writeFileSync(idx, Buffer.concat([header, Buffer.from(Array.from({ length: n * 16 }, (_, k) => (k % 4 < 2 ? 200 : 30) + (k % 7)))]));
  const model = join(root, 'idx.vigil');
  assert.equal(vigil('fit', '--data', idx, '--detector', 'pca', '--out', model).code, 0);
  const out = join(root, 'idx.csv');
  assert.equal(vigil('score', '--model', model, '--data', idx, '--out', out).code, 0);
  const { header: h, rows } = readScores(out);
  assert.equal(h, 'image,score,is_anomaly');
  assert.deepEqual(rows.map((r) => r[0]), Array.from({ length: n }, (_, i) => String(i + 1)));
  const sized = vigil('fit', '--data', idx, '--detector', 'pca', '--size', '2x2', '--out', model);
  assert.equal(sized.code, 2);
  assert.match(sized.err, /^vigil: --size and --color apply to PNG\/JPEG images, not IDX files\n$/);
});

test('bad image input is one line and exit 2', () => {
  const model = join(root, 'bad.vigil');
  const cases: [string[], RegExp][] = [
    [['--data', folder('empty', {})], /holds no \.png, \.jpg or \.jpeg images/],
    [['--data', folder('notes', { ...images(3, 8), 'notes.txt': 'hello' })], /notes\.txt is not a \.png, \.jpg or \.jpeg file/],
    [['--data', folder('corrupt', { ...images(3, 8), 'broken.png': 'not a png at all' })], /broken\.png: not a PNG or JPEG image/],
    [['--data', folder('deep', { 'a/b/img.png': png(8) })], /not deeper/],
    [['--data', folder('labelled', images(3, 8)), '--label', 'y'], /--label is for tables; .* is image input/],
    [['--data', folder('badsize', images(3, 8)), '--size', '0x4'], /--size expects HxW/],
    [['--data', join(root, 'missing.png')], /no such file or folder/],
  ];
  for (const [args, want] of cases) {
    const r = vigil('fit', ...args, '--detector', 'pca', '--out', model);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /^vigil: [^\n]+\n$/, args.join(' '));
    assert.match(r.err, want, args.join(' '));
  }
});

test('score refuses images for a model fitted on a table', () => {
  const csv = join(root, 'table.csv');
  writeFileSync(csv, 'a,b\n' + Array.from({ length: 30 }, (_, i) => `${i % 7},${(i * 3) % 5}`).join('\n') + '\n');
  const model = join(root, 'table.vigil');
  assert.equal(vigil('fit', '--data', csv, '--detector', 'pca', '--out', model).code, 0);
  const r = vigil('score', '--model', model, '--data', folder('for-table', images(2, 8)));
  assert.equal(r.code, 2);
  assert.match(r.err, /^vigil: .* is image input but the model was fitted on table columns \(a, b, \.\.\.\)\n$/);
});

test('imageShapeOf reads only an exact pixel grid', () => {
  const grid = (h: number, w: number, c: number) =>
    Array.from({ length: h * w * c }, (_, k) => ({ name: `pixel_${Math.floor(k / (w * c))}_${Math.floor(k / c) % w}_${k % c}`, kind: 'numeric' as const }));
  assert.deepEqual(imageShapeOf(grid(2, 3, 3)), { height: 2, width: 3, channels: 3 });
  assert.equal(imageShapeOf(grid(2, 3, 1).slice(1)), undefined);
  assert.equal(imageShapeOf([...grid(2, 2, 1).slice(0, 3), { name: 'other', kind: 'numeric' }]), undefined);
  assert.equal(imageShapeOf([{ name: 'a', kind: 'numeric' }]), undefined);
});
