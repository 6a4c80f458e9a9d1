import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { DataError } from '../core/errors.js';
import { Model } from '../model/model.js';
import { SeriesModel } from '../model/series-model.js';
import { decode } from './container.js';

/** Writes the model file atomically: a crash mid-write never leaves a half-written model behind. */
export async function saveModel(model: Model | SeriesModel, path: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, model.toBytes());
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A tabular model file; a series model file is a FormatError. */
export async function loadModel(path: string): Promise<Model> {
  return Model.fromBytes(await readModelBytes(path));
}

/** A series model file; a tabular model file is a FormatError. */
export async function loadSeriesModel(path: string): Promise<SeriesModel> {
  return SeriesModel.fromBytes(await readModelBytes(path));
}

/** Either kind of model file, told apart by its manifest. */
export async function loadAnyModel(path: string): Promise<Model | SeriesModel> {
  return (await loadModelFile(path)).model;
}

/** Either kind of model file with who saved it and when, as its manifest says (older files may not). */
export async function loadModelFile(path: string): Promise<{ model: Model | SeriesModel; savedBy?: string; savedAt?: string }> {
  const c = decode(await readModelBytes(path));
  const model = c.manifest['kind'] === 'series' ? SeriesModel.fromContainer(c) : Model.fromContainer(c);
  const text = (k: string): string | undefined => (typeof c.manifest[k] === 'string' ? (c.manifest[k] as string) : undefined);
  return { model, savedBy: text('vigil'), savedAt: text('createdAt') };
}

async function readModelBytes(path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`no such model file: ${path}`);
    if (code === 'EISDIR') throw new DataError(`${path} is a directory, not a model file`);
    throw e;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
