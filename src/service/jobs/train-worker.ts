/**
 * The worker thread a training job runs in, off the service's event loop. Messages in:
 * `{type: 'cancel'}`. Messages out: `progress`, then one `done` or `failed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError } from '../../core/errors.js';
import { train, type TrainInput } from './train.js';

export type WorkerMessage =
  | { type: 'progress'; fraction: number; message?: string; epoch?: number; epochs?: number; loss?: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof train>> }
  | { type: 'failed'; cancelled: boolean; message: string };

const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m?.type === 'cancel') abort.abort();
});
const post = (m: WorkerMessage): void => port.postMessage(m);

train(workerData as TrainInput, {
  signal: abort.signal,
  onProgress: (p) => post({ type: 'progress', fraction: p.fraction, message: p.message, epoch: p.epoch, epochs: p.epochs, loss: p.loss }),
})
  .then((result) => post({ type: 'done', result }))
  .catch((e: unknown) => post({ type: 'failed', cancelled: e instanceof CancelledError || abort.signal.aborted, message: e instanceof Error ? e.message.split('\n')[0]! : String(e) }))
  .finally(() => port.close());
