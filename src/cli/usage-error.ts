import { VigilError } from '../core/errors.js';

/** The command line itself is wrong (a flag's value, a missing argument). */
export class UsageError extends VigilError {
  override name = 'UsageError';
}
