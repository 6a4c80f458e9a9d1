import type { Database } from 'better-sqlite3';
import { FormatError } from '../../../core/errors.js';
import { MIGRATIONS } from './migrations/index.js';

/** Applies the migrations the database lacks, each in its own transaction; refuses a database newer than this code. */
export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null };
  const have = row.v ?? 0;
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  if (have > newest) throw new FormatError(`the database is at migration ${have}, newer than this vigil (${newest})`);
  for (const m of MIGRATIONS) {
    if (m.version <= have) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
  }
}
