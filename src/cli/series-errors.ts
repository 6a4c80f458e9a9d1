import { DataError, OptionsError } from '../core/errors.js';

/**
 * The data layer names its library options (`timestamp`, `maxGap`) in messages; on the command
 * line the same advice is a flag.
 */
export async function withFlagNames<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof DataError || e instanceof OptionsError)) throw e;
    const message = e.message.replace('with the timestamp option', 'with --timestamp').replace(/\braise maxGap\b/, 'raise --max-gap');
    if (message === e.message) throw e;
    throw e instanceof DataError ? new DataError(message) : new OptionsError(message);
  }
}
