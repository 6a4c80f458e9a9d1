import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { WorkerPool } from '../../core/worker-pool.js';
import type { ThreadPlatform } from './threads.js';

/** Node: worker threads from the main thread (a worker thread starts none of its own). */
export const threadPlatform: ThreadPlatform = {
  cores: () => (isMainThread ? availableParallelism() : 0),
  pool: (script, options) => new WorkerPool(script, options),
};
