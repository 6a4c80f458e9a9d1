import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { deleted } from '../teams/schemas.js';
import { createStreamBody, patchStreamBody, streamList, streamView } from './schemas.js';
import { createStream, deleteStream, streamOf, updateStream, viewOf } from './streams.js';

export const streamsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['streams'];
  app.post(
    '/v1/streams',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Create a stream', body: createStreamBody, response: { 201: streamView, ...errors } } },
    async (req, reply) => reply.code(201).send(viewOf(await createStream(ctx, teamOf(req), req.body))),
  );
  app.get('/v1/streams', { config: { access: 'read' }, schema: { ...secured, tags, summary: "The team's streams", response: { 200: streamList, ...errors } } }, async (req) => ({
    streams: (await ctx.storage.listStreams(teamOf(req))).map(viewOf),
  }));
  app.get(
    '/v1/streams/:id',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: 'One stream', params: idParams, response: { 200: streamView, ...errors } } },
    async (req) => viewOf(await streamOf(ctx, teamOf(req), req.params.id)),
  );
  app.patch(
    '/v1/streams/:id',
    {
      config: { access: 'write' },
      schema: { ...secured, tags, summary: 'Rename a stream or change what scores it (a new model version)', params: idParams, body: patchStreamBody, response: { 200: streamView, ...errors } },
    },
    async (req) => viewOf(await updateStream(ctx, teamOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/v1/streams/:id',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Delete a stream with its points', params: idParams, response: { 200: deleted, ...errors } } },
    async (req) => {
      await deleteStream(ctx, teamOf(req), req.params.id);
      return { deleted: true as const };
    },
  );
};
