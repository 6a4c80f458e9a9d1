import { Worker } from 'node:worker_threads';
import { VigilError } from '../../core/errors.js';
import { crossValidate, type SettingJob } from './cross-validate.js';

type Reply = { id: number; values?: number[]; error?: { name: string; message: string } };

/**
 * Runs jobs on `workers` worker threads (1 = in this thread), results in job order.
 * Workers take the next job as soon as they finish one, so uneven settings balance out.
 */
export async function runJobs(jobs: SettingJob[], workers: number, onDone?: (done: number) => void): Promise<number[][]> {
  const results: number[][] = new Array(jobs.length);
  let done = 0;
  if (workers <= 1 || jobs.length <= 1) {
    for (const [i, job] of jobs.entries()) {
      results[i] = await crossValidate(job);
      onDone?.(++done);
    }
    return results;
  }
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(new URL('./worker.js', import.meta.url)));
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              if (next >= jobs.length) return resolve();
              const id = next++;
              w.postMessage({ id, job: jobs[id] });
            };
            w.on('message', (r: Reply) => {
              if (r.error) {
                const e = new VigilError(r.error.message);
                e.name = r.error.name;
                return reject(e);
              }
              results[r.id] = r.values!;
              onDone?.(++done);
              feed();
            });
            w.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
