/**
 * Runs in a worker thread: copies the WAL into the database file (a PASSIVE checkpoint, which
 * never blocks writers) on a connection of its own, so the fsyncs of checkpointing stay off the
 * thread that answers requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

const { path, everyMs } = workerData as { path: string; everyMs: number };
const db = new BetterSqlite3(path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy: the next turn tries again.
  }
}, everyMs);
parentPort!.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
