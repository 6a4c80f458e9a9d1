/**
 * PNG and JPEG bytes to pixels, with pngjs and jpeg-js (both pure JavaScript). The format comes
 * from the bytes' magic number, not the file name.
 */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '../../core/errors.js';
import { channelsOf, resizeBilinear, type Color, type ImageShape } from './image.js';

export type ImageFormat = 'png' | 'jpeg';

/** A decoded image at its own size, 8 bits per channel, alpha dropped. */
export interface DecodedImage {
  width: number;
  height: number;
  /** height x width x 3, row-major. */
  rgb: Uint8Array;
  /** Every pixel has red = green = blue. */
  gray: boolean;
}

export interface ImageSize {
  height: number;
  width: number;
}

export interface PixelOptions {
  /** Output channels; when absent, the image's own: gray if every pixel is gray, else rgb. */
  color?: Color;
  /** Resize to this size (see resizeBilinear); when absent, keep the image's size. */
  size?: ImageSize;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'png' or 'jpeg' from the first bytes, undefined for anything else. */
export function imageFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/**
 * Decodes PNG (any bit depth and colour type; 16-bit is rescaled to 8) or baseline/progressive
 * JPEG. Alpha is dropped, as Pillow's convert('RGB') does. `source` names the file in errors.
 */
export function decodeImage(bytes: Uint8Array, source: string): DecodedImage {
  const format = imageFormatOf(bytes);
  if (!format) throw new DataError(`${source}: not a PNG or JPEG image`);
  let width: number;
  let height: number;
  let data: Uint8Array;
  let stride: number;
  try {
    if (format === 'png') {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      ({ width, height, data } = png);
      stride = 4;
    } else {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
      ({ width, height, data } = img);
      stride = 3;
    }
  } catch (e) {
    throw new DataError(`${source}: cannot decode ${format === 'png' ? 'PNG' : 'JPEG'} (${(e as Error).message})`);
  }
  if (!(width > 0 && height > 0) || data.length < width * height * stride) {
    throw new DataError(`${source}: the ${format === 'png' ? 'PNG' : 'JPEG'} decoded to no pixels`);
  }
  const n = width * height;
  const rgb = new Uint8Array(n * 3);
  let gray = true;
  for (let p = 0; p < n; p++) {
    const r = data[p * stride]!;
    const g = data[p * stride + 1]!;
    const b = data[p * stride + 2]!;
    rgb[p * 3] = r;
    rgb[p * 3 + 1] = g;
    rgb[p * 3 + 2] = b;
    if (r !== g || g !== b) gray = false;
  }
  return { width, height, rgb, gray };
}

/**
 * The image as pixel values in [0, 1], HWC, in the asked colour and size. Gray is the ITU-R
 * 601-2 luma (299 R + 587 G + 114 B) / 1000, as Pillow's convert('L') (without its rounding to
 * whole bytes), so a gray image keeps its exact values.
 */
export function imagePixels(img: DecodedImage, opts: PixelOptions = {}): { shape: ImageShape; pixels: Float64Array } {
  const color = opts.color ?? (img.gray ? 'gray' : 'rgb');
  const channels = channelsOf(color);
  const n = img.width * img.height;
  const px = new Float64Array(n * channels);
  for (let p = 0; p < n; p++) {
    const r = img.rgb[p * 3]!;
    const g = img.rgb[p * 3 + 1]!;
    const b = img.rgb[p * 3 + 2]!;
    if (channels === 1) {
      px[p] = (299 * r + 587 * g + 114 * b) / 255000;
    } else {
      px[p * 3] = r / 255;
      px[p * 3 + 1] = g / 255;
      px[p * 3 + 2] = b / 255;
    }
  }
  const own: ImageShape = { height: img.height, width: img.width, channels };
  if (!opts.size || (opts.size.height === img.height && opts.size.width === img.width)) return { shape: own, pixels: px };
  const { height, width } = opts.size;
  return { shape: { height, width, channels }, pixels: resizeBilinear(px, own, height, width) };
}
