/**
 * Image input: IDX (MNIST), PNG and JPEG to rows of a Matrix plus an ImageShape. Everything
 * works on bytes except files.ts, the one module that touches the file system.
 */
export * from './image.js';
export { idxImages, idxLabels, isGzip, labelImages, maybeGunzip, parseIdx, type IdxArray } from './idx.js';
export { decodeImage, imageFormatOf, imagePixels, type DecodedImage, type ImageFormat, type ImageSize, type PixelOptions } from './decode.js';
export { ANOMALY_CLASS, NORMAL_CLASS, imageFromBytes, imagesFromEntries, type ImageEntry, type ImageFolder } from './folder.js';
export { IMAGE_FILE, findIdxFile, readBytes, readIdxImages, readIdxLabels, readIdxSplit, readImageEntries, readImageFile, readImageFolder, subfolders } from './files.js';
