import { OptionsError } from '../../core/errors.js';
import type { ThreadPlatform } from './threads.js';

/** Browsers (and any runtime without Node's worker threads): the engine runs on the calling thread alone. */
export const threadPlatform: ThreadPlatform = {
  cores: () => 0,
  pool: () => {
    throw new OptionsError('worker threads are not available on this platform');
  },
};
