/**
 * The only place image data meets the file system: reading IDX files and image folders into
 * bytes and handing them to the pure parsers beside this file.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../../core/errors.js';
import type { PixelOptions } from './decode.js';
import { imageFromBytes, imagesFromEntries, type ImageEntry, type ImageFolder } from './folder.js';
import { idxImages, idxLabels, labelImages } from './idx.js';
import type { ClassImages, Images } from './image.js';

/** File names an image folder reader picks up (case-insensitive); other files are skipped. */
export const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** The bytes of a file; a missing or unreadable file is a one-line DataError. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    if (b.length === 0) throw new DataError(`${path} is empty`);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw fileError(e, path);
  }
}

export async function readImageFile(path: string, opts: PixelOptions = {}): Promise<Images> {
  return imageFromBytes(await readBytes(path), path, opts);
}

export async function readIdxImages(path: string): Promise<Images> {
  return idxImages(await readBytes(path), path);
}

export async function readIdxLabels(path: string): Promise<Uint8Array> {
  return idxLabels(await readBytes(path), path);
}

/** `dir/name`, else `dir/name.gz`; undefined when neither exists. */
export function findIdxFile(dir: string, name: string): string | undefined {
  return [join(dir, name), join(dir, `${name}.gz`)].find((p) => existsSync(p));
}

/**
 * One split of an MNIST-style folder: `<prefix>-images-idx3-ubyte` with
 * `<prefix>-labels-idx1-ubyte` (each plain or .gz), prefix `train` or `t10k`.
 */
export async function readIdxSplit(dir: string, prefix: string): Promise<ClassImages> {
  const names = { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
  const imagesPath = findIdxFile(dir, names.images);
  const labelsPath = findIdxFile(dir, names.labels);
  if (!imagesPath) throw new DataError(`no ${names.images} (or .gz) in ${dir}`);
  if (!labelsPath) throw new DataError(`no ${names.labels} (or .gz) in ${dir}`);
  const [images, labels] = await Promise.all([readIdxImages(imagesPath), readIdxLabels(labelsPath)]);
  return labelImages(images, labels, { images: imagesPath, labels: labelsPath });
}

/**
 * `dir/<class>/*.png|jpg|jpeg`: one class per subfolder (sorted by name, files too). Subfolders
 * named `normal` and `anomaly` give evaluation labels (see ImageFolder.labels). Hidden files and
 * files of other kinds are skipped; a class folder without images is an error.
 */
export async function readImageFolder(dir: string, opts: PixelOptions = {}): Promise<ImageFolder> {
  return imagesFromEntries(await readImageEntries(dir), opts);
}

/** The undecoded files of `dir/<class>/*.png|jpg|jpeg`, to stack several folders with one colour and size. */
export async function readImageEntries(dir: string): Promise<ImageEntry[]> {
  const classes = await subfolders(dir);
  if (!classes.length) throw new DataError(`${dir} has no class subfolders (expected ${dir}/<class>/*.png|jpg)`);
  const entries: ImageEntry[] = [];
  for (const c of classes) {
    const files = (await readdir(join(dir, c))).filter((f) => !f.startsWith('.') && IMAGE_FILE.test(f)).sort();
    if (!files.length) throw new DataError(`${join(dir, c)} holds no .png, .jpg or .jpeg files`);
    for (const f of files) {
      const source = join(dir, c, f);
      entries.push({ className: c, source, bytes: await readBytes(source) });
    }
  }
  return entries;
}

/** The names of the visible subfolders of dir, sorted. */
export async function subfolders(dir: string): Promise<string[]> {
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    throw fileError(e, dir);
  }
  if (!st.isDirectory()) throw new DataError(`${dir} is not a folder`);
  const items = await readdir(dir, { withFileTypes: true });
  return items
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

function fileError(e: unknown, path: string): unknown {
  if (e instanceof DataError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(`no such file or folder: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new DataError(`cannot read ${path}: permission denied`);
  if (code === 'EISDIR') return new DataError(`${path} is a folder, not a file`);
  return e;
}
