import { WorkerPool } from '../../core/worker-pool.js';
import { crossValidate, type SettingJob } from './cross-validate.js';

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
  const pool = new WorkerPool<SettingJob, number[]>(new URL('./worker.js', import.meta.url), { size: Math.min(workers, jobs.length), what: 'tuning thread' });
  let next = 0;
  const lane = async (i: number): Promise<void> => {
    while (next < jobs.length) {
      const id = next++;
      results[id] = await pool.call(i, jobs[id]!);
      onDone?.(++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: pool.size }, (_, i) => lane(i)));
  } finally {
    await pool.dispose();
  }
  return results;
}
