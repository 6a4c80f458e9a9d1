/**
 * Images as `--data` for `fit` and `score`: a folder of PNG/JPEG files (directly in it, or in
 * class subfolders one level down), one PNG/JPEG file, or an IDX file (MNIST's format).
 *
 * Every image becomes one row of numeric columns `pixel_<y>_<x>_<c>` (values in [0, 1], height x
 * width x channels order): the model file's column list then holds the image shape, and `score`
 * brings new images to that shape (colour and size) before scoring them.
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { ColumnSpec, Frame } from '../data/frame.js';
import {
  IMAGE_FILE,
  formatShape,
  imagesFromEntries,
  readBytes,
  readIdxImages,
  sameShape,
  type Color,
  type ImageEntry,
  type ImageShape,
  type PixelOptions,
} from '../data/images/index.js';
import type { Model } from '../model/model.js';
import type { TrainingFlags, TrainingInput } from './input.js';
import { optionWithDefault } from './conventions.js';
import type { ScoredChunk } from './score-rows.js';
import { UsageError } from './usage-error.js';

/** The flags image input adds to `fit`. */
export const IMAGE_FLAGS = {
  size: () => optionWithDefault('--size <HxW>', 'image input: resize every image to this size', 'the images must share one size'),
  color: () => optionWithDefault('--color <gray|rgb>', 'image input: channels', 'gray when every image is gray, else rgb'),
};

export interface ImageFlags {
  size?: string;
  color?: string;
}

/** IDX file names: MNIST's `*-idx3-ubyte`, or `.idx`, either gzipped or not. */
const IDX_FILE = /(-idx\d-ubyte|\.idx)(\.gz)?$/i;

/** The column name of pixel (y, x, channel c). */
const PIXEL = /^pixel_(\d+)_(\d+)_(\d+)$/;

/** Rows scored per chunk, so progress moves and explanations stay small. */
const CHUNK_ROWS = 1024;

/** True when `--data` names images: a folder, a PNG or JPEG file, or an IDX file. */
export function isImageInput(path: string): boolean {
  return IMAGE_FILE.test(path) || IDX_FILE.test(path) || statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** What `fit` reads from images: a frame of pixel columns, and the shape, which fills detector options. */
export async function loadImageTraining(path: string, f: TrainingFlags & ImageFlags): Promise<TrainingInput & { image: ImageShape }> {
  const tabular = (['label', 'ignore', 'categorical', 'delimiter', 'dropConstant'] as const).find((k) => f[k] !== undefined);
  if (tabular) throw new UsageError(`--${tabular.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for tables; ${path} is image input`);
  const pixels = pixelOptions(f);
  if (IDX_FILE.test(path) && (pixels.size || pixels.color)) throw new UsageError(`--size and --color apply to PNG/JPEG images, not IDX files`);
  const images = await readImages(path, pixels);
  const what = images.shape.channels === 1 ? 'gray' : 'rgb';
  const resized = images.resized ? ` (${images.resized} resized)` : '';
  process.stderr.write(`vigil: ${images.X.rows} images from ${path}, ${images.shape.height}x${images.shape.width} ${what}${resized}\n`);
  return { frame: imageFrame(images.X, images.shape), dropped: [], image: images.shape };
}

/** Scores images with a model fitted on images, brought to its shape; ids are the files' paths (IDX: the image's number). */
export async function* scoreImageChunks(model: Model, path: string, o: { id?: string; explain: boolean }): AsyncGenerator<ScoredChunk> {
  if (o.id !== undefined) throw new UsageError(`--id is for tables; image scores are keyed by the image's path`);
  const shape = imageShapeOf(model.columns);
  if (!shape) throw new DataError(`${path} is image input but the model was fitted on table columns (${model.columns.slice(0, 3).map((c) => c.name).join(', ')}, ...)`);
  const color: Color = shape.channels === 1 ? 'gray' : 'rgb';
  const images = await readImages(path, { color, size: { height: shape.height, width: shape.width } });
  if (!sameShape(images.shape, shape)) {
    throw new DataError(`${path}: images are ${formatShape(images.shape)} but the model was fitted on ${formatShape(shape)} images`);
  }
  if (images.resized) process.stderr.write(`vigil: resized ${images.resized} of ${images.X.rows} images to the model's ${shape.height}x${shape.width}\n`);
  for (let from = 0; from < images.X.rows; from += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, images.X.rows - from);
    const X = { rows, cols: images.X.cols, data: images.X.data.subarray(from * images.X.cols, (from + rows) * images.X.cols) };
    const frame = imageFrame(X, shape);
    const scores = await model.score(frame);
    const explanation = o.explain ? await model.explain(frame) : undefined;
    yield { ids: images.ids.slice(from, from + rows), idName: images.idName, scores, explanation };
  }
}

/** The image shape a model's columns describe, or undefined when they are not exactly the pixel grid. */
export function imageShapeOf(columns: readonly ColumnSpec[]): ImageShape | undefined {
  const last = PIXEL.exec(columns.at(-1)?.name ?? '');
  if (!last) return undefined;
  const shape = { height: Number(last[1]) + 1, width: Number(last[2]) + 1, channels: Number(last[3]) + 1 };
  const names = pixelNames(shape);
  if (names.length !== columns.length) return undefined;
  return columns.every((c, k) => c.kind === 'numeric' && c.name === names[k]) ? shape : undefined;
}

/** One numeric column per pixel value. */
export function imageFrame(X: Matrix, shape: ImageShape): Frame {
  const names = pixelNames(shape);
  return {
    rows: X.rows,
    columns: names.map((name, j) => ({ name, kind: 'numeric' as const, values: Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]!) })),
  };
}

function pixelNames(s: ImageShape): string[] {
  const out: string[] = [];
  for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) for (let c = 0; c < s.channels; c++) out.push(`pixel_${y}_${x}_${c}`);
  return out;
}

/** `--size HxW` (or one number for a square) and `--color gray|rgb`, checked. */
export function pixelOptions(o: ImageFlags): PixelOptions {
  const out: PixelOptions = {};
  if (o.color !== undefined) {
    if (o.color !== 'gray' && o.color !== 'rgb') throw new UsageError(`--color must be gray or rgb, got '${o.color}'`);
    out.color = o.color;
  }
  if (o.size !== undefined) {
    const m = /^(\d+)(?:x(\d+))?$/i.exec(o.size.trim());
    const h = m ? Number(m[1]) : 0;
    const w = m ? Number(m[2] ?? m[1]) : 0;
    if (!(h > 0 && w > 0 && h <= 4096 && w <= 4096)) throw new UsageError(`--size expects HxW (e.g. 28x28) or one number, up to 4096, got '${o.size}'`);
    out.size = { height: h, width: w };
  }
  return out;
}

interface ReadImages {
  X: Matrix;
  shape: ImageShape;
  ids: string[];
  idName: string;
  resized: number;
}

async function readImages(path: string, pixels: PixelOptions): Promise<ReadImages> {
  // An IDX file keeps its own size and colour: fit refuses --size and --color for it, score checks its shape.
  if (IDX_FILE.test(path)) {
    const { X, shape } = await readIdxImages(path);
    if (!X.rows) throw new DataError(`${path} holds no images`);
    return { X, shape, ids: Array.from({ length: X.rows }, (_, i) => String(i + 1)), idName: 'image', resized: 0 };
  }
  const files = IMAGE_FILE.test(path) ? [path] : await imageFiles(path);
  const entries: ImageEntry[] = [];
  for (const source of files) entries.push({ className: '', source, bytes: await readBytes(source) });
  const { X, shape, resized } = imagesFromEntries(entries, pixels);
  return { X, shape, ids: files, idName: 'path', resized };
}

/**
 * The PNG/JPEG files of `dir` and of its subfolders one level down, sorted by path. Anything
 * else visible there (another kind of file, a deeper folder) is an error rather than skipped, so
 * what a model learns from is exactly what the folder shows.
 */
async function imageFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    const items = (await readdir(folder, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      throw new DataError(`cannot read the folder ${folder}: ${e.code ?? e.message}`);
    })).filter((d) => !d.name.startsWith('.'));
    for (const d of items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(folder, d.name);
      if (d.isDirectory()) {
        if (depth > 0) throw new DataError(`${p}: image input reads ${dir} and its subfolders one level down, not deeper`);
        await walk(p, depth + 1);
      } else if (IMAGE_FILE.test(d.name)) {
        out.push(p);
      } else {
        throw new DataError(`${p} is not a .png, .jpg or .jpeg file; image folders hold only images (and class subfolders of them)`);
      }
    }
  };
  await walk(dir, 0);
  if (!out.length) throw new DataError(`${dir} holds no .png, .jpg or .jpeg images`);
  return out;
}
