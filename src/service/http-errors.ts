/** Errors a handler or service function throws to answer with a status; the error handler turns every error into `{error, message}`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found`);
export const unauthorized = (message: string): HttpError => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const badRequest = (message: string): HttpError => new HttpError(400, 'bad_request', message);
export const conflict = (message: string): HttpError => new HttpError(409, 'conflict', message);
