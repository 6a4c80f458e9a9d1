import { readFile, rename, writeFile } from 'node:fs/promises';
import { DataError } from '../core/errors.js';
import { Model } from '../model/model.js';

/** Writes the model file atomically: a crash mid-write never leaves a half-written model behind. */
export async function saveModel(model: Model, path: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, model.toBytes());
  await rename(tmp, path);
}

export async function loadModel(path: string): Promise<Model> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`no such model file: ${path}`);
    if (code === 'EISDIR') throw new DataError(`${path} is a directory, not a model file`);
    throw e;
  }
  return Model.fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
