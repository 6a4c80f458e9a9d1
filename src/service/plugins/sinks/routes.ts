import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { deleted } from '../teams/schemas.js';
import { createSinkBody, deliveriesQuery, deliveryList, patchSinkBody, sinkCreated, sinkList, sinkView as sinkSchema, testResult } from './schemas.js';
import { createSink, deleteSink, sinkDeliveries, sinkOf, sinkView, testSink, updateSink } from './sinks.js';

export const sinksPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['alerts'];
  app.get('/v1/sinks', { config: { access: 'read' }, schema: { ...secured, tags, summary: "The team's sinks (webhooks)", response: { 200: sinkList, ...errors } } }, async (req) => ({
    sinks: (await ctx.storage.alerting.listSinks(teamOf(req))).map(sinkView),
  }));
  app.post(
    '/v1/sinks',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Create a sink: a webhook, signed with HMAC-SHA256', body: createSinkBody, response: { 201: sinkCreated, ...errors } } },
    async (req, reply) => {
      const s = await createSink(ctx, teamOf(req), req.body);
      return reply.code(201).send({ ...sinkView(s), secret: s.secret });
    },
  );
  app.get(
    '/v1/sinks/:id',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: 'One sink', params: idParams, response: { 200: sinkSchema, ...errors } } },
    async (req) => sinkView(await sinkOf(ctx, teamOf(req), req.params.id)),
  );
  app.patch(
    '/v1/sinks/:id',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Change a sink (a new secret rotates it)', params: idParams, body: patchSinkBody, response: { 200: sinkSchema, ...errors } } },
    async (req) => sinkView(await updateSink(ctx, teamOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/v1/sinks/:id',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Delete a sink with its pending deliveries', params: idParams, response: { 200: deleted, ...errors } } },
    async (req) => {
      await deleteSink(ctx, teamOf(req), req.params.id);
      return { deleted: true as const };
    },
  );
  app.post(
    '/v1/sinks/:id/test',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Send a test alert to the sink now', params: idParams, response: { 200: testResult, ...errors } } },
    async (req) => testSink(ctx, teamOf(req), req.params.id),
  );
  app.get(
    '/v1/sinks/:id/deliveries',
    {
      config: { access: 'read' },
      schema: { ...secured, tags, summary: "The sink's outbox: each alert with its delivery state", params: idParams, querystring: deliveriesQuery, response: { 200: deliveryList, ...errors } },
    },
    async (req) => ({ deliveries: await sinkDeliveries(ctx, teamOf(req), req.params.id, req.query.limit) }),
  );
};
