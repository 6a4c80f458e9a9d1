import { parentPort } from 'node:worker_threads';
import { crossValidate, type SettingJob } from './cross-validate.js';

/** Runs settings' cross-validations sent by the pool, one at a time. */
parentPort!.on('message', async (msg: { id: number; job: SettingJob }) => {
  try {
    parentPort!.postMessage({ id: msg.id, values: await crossValidate(msg.job) });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) } });
  }
});
