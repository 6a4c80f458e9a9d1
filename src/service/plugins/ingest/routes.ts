import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, errorSchema, idParams, secured } from '../common/schemas.js';
import { ingestValidatorCompiler } from './fast-validate.js';
import { ingest } from './ingest.js';
import { csvPoints, ndjsonPoints } from './parse.js';
import { accepted, ingestBody } from './schemas.js';

export const ingestPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  // This plugin's routes: the body's schema behind a fast path that accepts only what the schema accepts.
  app.setValidatorCompiler(ingestValidatorCompiler);
  const asString = { parseAs: 'string' as const };
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], asString, (_req, body, done) => {
    try {
      done(null, ndjsonPoints(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser(['text/csv'], asString, (_req, body, done) => {
    try {
      done(null, csvPoints(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // Requests refused before the handler (a malformed body, too large, a bad point by the schema) count as rejected
  // here, when the stream is the caller's; those the handler refuses (storage's checks) are counted by ingest().
  const handled = new WeakSet<object>();
  app.post(
    '/v1/streams/:id/points',
    {
      config: { access: 'write' },
      preHandler: async (req) => void handled.add(req),
      onResponse: async (req, reply) => {
        const p = req.principal;
        if (handled.has(req) || reply.statusCode < 400 || reply.statusCode >= 500 || p?.kind !== 'team') return;
        const s = await ctx.storage.getStream((req.params as { id?: string }).id ?? '');
        if (s && s.teamId === p.teamId) ctx.metrics.rejected(p.teamId, s.id);
      },
      schema: {
        ...secured,
        tags: ['ingest'],
        summary: 'Ingest points; 202 once they are committed; a bad point refuses the whole request',
        consumes: ['application/json', 'application/x-ndjson', 'text/csv'],
        params: idParams,
        body: ingestBody,
        response: { 202: accepted, ...errors, 413: errorSchema, 415: errorSchema },
      },
    },
    async (req, reply) => reply.code(202).send({ accepted: await ingest(ctx, teamOf(req), req.params.id, req.body.points) }),
  );
};
