/** Every error becomes `{error, message}` with a 4xx or 500 status; no stack trace ever leaves the server. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { VigilError } from '../core/errors.js';
import { HttpError } from './http-errors.js';

/** Fastify's own 4xx errors (body too large, malformed JSON, ...) by status. */
const STATUS_CODES: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited' };

interface Issue {
  instancePath: string;
  message?: string;
}

/** "point 3: value: Expected number, received string" for body paths under points/N, else "<where> <path>: <message>". */
export function validationMessage(context: string | undefined, issues: readonly Issue[]): string {
  const first = issues[0]!;
  const path = first.instancePath.split('/').filter(Boolean);
  if (context === 'body' && path[0] === 'points' && path.length >= 2 && /^\d+$/.test(path[1]!)) {
    return `point ${path[1]}: ${path.slice(2).join('.') || 'point'}: ${first.message}`;
  }
  return `${context ?? 'request'}${path.length ? ' ' + path.join('.') : ''}: ${first.message}`;
}

export function errorHandler(log: (msg: string) => void) {
  return (err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void => {
    if (err instanceof HttpError) {
      reply.code(err.statusCode).send({ error: err.code, message: err.message });
      return;
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      reply.code(400).send({ error: 'bad_request', message: validationMessage(err.validationContext, err.validation) });
      return;
    }
    if (err instanceof VigilError) {
      reply.code(400).send({ error: 'bad_request', message: err.message });
      return;
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      reply.code(status).send({ error: STATUS_CODES[status] ?? 'bad_request', message: err.message });
      return;
    }
    log(`internal error: ${err.stack ?? err.message}`);
    reply.code(500).send({ error: 'internal', message: 'internal error (see the server log)' });
  };
}
