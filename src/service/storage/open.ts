/** The storage a `--db` URL names: `sqlite:<path>` now; `postgres://...` later. */
import { OptionsError } from '../../core/errors.js';
import type { Storage } from './storage.js';
import { SqliteStorage, type SqliteOptions } from './sqlite/sqlite-storage.js';

export function openStorage(url: string, opts: SqliteOptions = {}): Storage {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new OptionsError(`--db ${url}: no file after 'sqlite:'`);
    return new SqliteStorage(path, opts);
  }
  throw new OptionsError(`--db ${url}: unsupported database (give sqlite:<file>)`);
}
