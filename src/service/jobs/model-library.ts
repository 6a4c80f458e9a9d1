/** Model files under the data dir, by model version id, loaded once and kept (a promoted model scores every point of its stream). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../core/errors.js';
import { Model } from '../../model/model.js';
import { SeriesModel } from '../../model/series-model.js';
import { decode } from '../../persist/container.js';
import type { FittedModelLike } from '../../stream/scorer/index.js';

export class ModelLibrary {
  private readonly cache = new Map<string, FittedModelLike>();

  constructor(readonly dataDir: string) {}

  /** The model file's path relative to the data dir (what storage records). */
  static fileOf(id: string): string {
    return join('models', `${id}.vigil`);
  }

  path(id: string): string {
    return join(this.dataDir, ModelLibrary.fileOf(id));
  }

  /** Synchronous so the scorer can build a lane from it at once; a file is read at most once. */
  resolve(id: string): FittedModelLike {
    let m = this.cache.get(id);
    if (!m) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(this.path(id));
      } catch {
        throw new DataError(`model ${id}: its file is missing from the data dir`);
      }
      const c = decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      m = c.manifest['kind'] === 'series' ? SeriesModel.fromContainer(c) : Model.fromContainer(c);
      this.cache.set(id, m);
    }
    return m;
  }
}
