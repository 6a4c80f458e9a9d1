/**
 * Named errors. Surfaces (CLI, service) print `message` alone for these and a stack trace for
 * anything else, so every error a user can cause must be one of these.
 */
export class VigilError extends Error {
  override name = 'VigilError';
}

/** The input data is unusable: missing file, bad column, non-number, empty. */
export class DataError extends VigilError {
  override name = 'DataError';
}

/** Options failed validation, or name an unknown detector. */
export class OptionsError extends VigilError {
  override name = 'OptionsError';
}

/** A detector was used before `fit`. */
export class NotFittedError extends VigilError {
  override name = 'NotFittedError';
  constructor(what: string) {
    super(`${what} is not fitted: call fit() first`);
  }
}

/** A saved model cannot be read: wrong magic, unknown format version, corrupt arrays. */
export class FormatError extends VigilError {
  override name = 'FormatError';
}

/** Work stopped because its AbortSignal fired (e.g. Ctrl-C during training). */
export class CancelledError extends VigilError {
  override name = 'CancelledError';
}
