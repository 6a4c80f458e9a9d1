/**
 * The IDX format of MNIST and Fashion-MNIST, parsed from bytes (plain or gzip).
 *
 * Layout: two zero bytes, a type code (0x08 = unsigned byte, the only one image sets use), the
 * number of dimensions, then each dimension as a big-endian unsigned 32-bit integer, then the
 * values in row-major order. Images are N x H x W (or N x H x W x C), labels are N.
 */
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import type { ClassImages, Images } from './image.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes gunzipped when they are gzip (by their magic number, whatever the file is called). */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError(`${source}: not valid gzip data (${(e as Error).message})`);
  }
}

/** Parses an IDX file of unsigned bytes (gzip is undone first). `source` names the file in errors. */
export function parseIdx(raw: Uint8Array, source: string): IdxArray {
  const bytes = maybeGunzip(raw, source);
  if (bytes.length < 4) throw new DataError(`${source}: truncated IDX file (${bytes.length} bytes, the header alone needs 4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(`${source}: not an IDX file (bad magic ${hex(bytes, 0, 4)}; expected 00 00 08 <dims>)`);
  }
  const type = bytes[2]!;
  if (type !== 0x08) {
    const what = TYPE_NAMES[type];
    throw new DataError(
      what
        ? `${source}: IDX values of type ${what} (0x${type.toString(16).padStart(2, '0')}) are not supported; image files hold unsigned bytes (0x08)`
        : `${source}: not an IDX file (unknown type code 0x${type.toString(16).padStart(2, '0')})`,
    );
  }
  const nd = bytes[3]!;
  if (nd === 0) throw new DataError(`${source}: IDX header gives 0 dimensions`);
  const header = 4 + 4 * nd;
  if (bytes.length < header) throw new DataError(`${source}: truncated IDX file (${bytes.length} bytes, the header needs ${header})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let k = 0; k < nd; k++) {
    const d = view.getUint32(4 + 4 * k, false);
    dims.push(d);
    count *= d;
  }
  const have = bytes.length - header;
  if (have < count) {
    throw new DataError(`${source}: truncated IDX file (${dims.join(' x ')} needs ${count} bytes of data, found ${have})`);
  }
  if (have > count) {
    throw new DataError(`${source}: ${have - count} bytes after the ${dims.join(' x ')} values the IDX header describes`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** An IDX image file as rows of pixels scaled from 0..255 to [0, 1]. */
export function idxImages(raw: Uint8Array, source: string): Images {
  const { dims, data } = parseIdx(raw, source);
  if (dims.length !== 3 && !(dims.length === 4 && (dims[3] === 1 || dims[3] === 3))) {
    throw new DataError(`${source}: an IDX image file has dimensions N x height x width (or x channels 1 or 3), this one ${dims.join(' x ')}`);
  }
  const [n, height, width] = dims as [number, number, number];
  const channels = dims[3] ?? 1;
  const X = matrix(n, height * width * channels);
  for (let i = 0; i < data.length; i++) X.data[i] = data[i]! / 255;
  return { X, shape: { height, width, channels } };
}

/** An IDX label file: one unsigned byte per item. */
export function idxLabels(raw: Uint8Array, source: string): Uint8Array {
  const { dims, data } = parseIdx(raw, source);
  if (dims.length !== 1) throw new DataError(`${source}: an IDX label file has one dimension, this one has ${dims.length} (${dims.join(' x ')})`);
  return data;
}

/**
 * Images with their labels: the class names are the distinct label values, sorted numerically,
 * written as decimal strings ('0'..'9' for MNIST).
 */
export function labelImages(images: Images, labels: Uint8Array, sources: { images: string; labels: string }): ClassImages {
  if (images.X.rows !== labels.length) {
    throw new DataError(`${sources.images} holds ${images.X.rows} images but ${sources.labels} holds ${labels.length} labels`);
  }
  const values = [...new Set(labels)].sort((a, b) => a - b);
  const index = new Map(values.map((v, k) => [v, k]));
  return { ...images, classes: values.map(String), y: Int32Array.from(labels, (v) => index.get(v)!) };
}

function hex(b: Uint8Array, from: number, to: number): string {
  return Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, '0')).join(' ');
}
