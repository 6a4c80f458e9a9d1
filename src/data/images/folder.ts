/**
 * A set of image files grouped into classes, assembled from bytes (the file system part is in
 * files.ts): every image decoded, brought to one colour and size, and stacked into a Matrix.
 */
import { DataError } from '../../core/errors.js';
import { matrix } from '../../core/matrix.js';
import { decodeImage, imagePixels, type DecodedImage, type PixelOptions } from './decode.js';
import { channelsOf, pixelCount, type ClassImages, type Images } from './image.js';

export interface ImageEntry {
  /** The class the image belongs to (its subfolder's name). */
  className: string;
  /** Names the image in errors, e.g. its path. */
  source: string;
  bytes: Uint8Array;
}

export interface ImageFolder extends ClassImages {
  /** The source of each row. */
  files: string[];
  /**
   * 0 = normal, 1 = anomaly per row, when every class is called `normal` or `anomaly`
   * (the layout for evaluating on labelled images); undefined otherwise.
   */
  labels?: Uint8Array;
  /** How many images were resized to the common size (0 without `opts.size`). */
  resized: number;
}

/** Class names that stand for evaluation labels. */
export const NORMAL_CLASS = 'normal';
export const ANOMALY_CLASS = 'anomaly';

/** One image from bytes, as a one-row Images. */
export function imageFromBytes(bytes: Uint8Array, source: string, opts: PixelOptions = {}): Images {
  const { shape, pixels } = imagePixels(decodeImage(bytes, source), opts);
  return { X: matrix(1, pixels.length, pixels), shape };
}

/**
 * Decodes and stacks the entries (in the order given). Colour: `opts.color`, or gray when every
 * image is gray and rgb otherwise. Size: `opts.size`, or else every image must have the size of
 * the first.
 */
export function imagesFromEntries(entries: readonly ImageEntry[], opts: PixelOptions = {}): ImageFolder {
  if (!entries.length) throw new DataError('no images to read');
  const decoded: DecodedImage[] = entries.map((e) => decodeImage(e.bytes, e.source));
  const color = opts.color ?? (decoded.every((d) => d.gray) ? 'gray' : 'rgb');
  let size = opts.size;
  if (!size) {
    const first = decoded[0]!;
    size = { height: first.height, width: first.width };
    decoded.forEach((d, i) => {
      if (d.height !== first.height || d.width !== first.width) {
        throw new DataError(
          `${entries[i]!.source} is ${d.height}x${d.width} but ${entries[0]!.source} is ${first.height}x${first.width}; give a size (--size HxW) to resize them all`,
        );
      }
    });
  }
  const shape = { height: size.height, width: size.width, channels: channelsOf(color) };
  const X = matrix(entries.length, pixelCount(shape));
  decoded.forEach((d, i) => {
    X.data.set(imagePixels(d, { color, size }).pixels, i * X.cols);
  });
  const classes = [...new Set(entries.map((e) => e.className))].sort();
  const index = new Map(classes.map((c, k) => [c, k]));
  const y = Int32Array.from(entries, (e) => index.get(e.className)!);
  const labelled = classes.every((c) => c === NORMAL_CLASS || c === ANOMALY_CLASS);
  const labels = labelled ? Uint8Array.from(entries, (e) => (e.className === ANOMALY_CLASS ? 1 : 0)) : undefined;
  const resized = decoded.filter((d) => d.height !== size.height || d.width !== size.width).length;
  return { X, shape, classes, y, files: entries.map((e) => e.source), resized, ...(labels ? { labels } : {}) };
}
