import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { deleted } from '../teams/schemas.js';
import { createRuleBody, patchRuleBody, ruleList, ruleView as ruleSchema } from './schemas.js';
import { createRule, deleteRule, ruleOf, ruleView, streamRules, updateRule } from './rules.js';

export const alertsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['alerts'];
  app.get(
    '/v1/streams/:id/rules',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: "The stream's alert rule (a list of at most one)", params: idParams, response: { 200: ruleList, ...errors } } },
    async (req) => ({ rules: (await streamRules(ctx, teamOf(req), req.params.id)).map(ruleView) }),
  );
  app.post(
    '/v1/streams/:id/rules',
    {
      config: { access: 'write' },
      schema: {
        ...secured,
        tags,
        summary: 'Alert on the stream: score above the threshold for n points or m seconds, at most k alerts an hour, severity from the score',
        params: idParams,
        body: createRuleBody,
        response: { 201: ruleSchema, 409: errors[400], ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(ruleView(await createRule(ctx, teamOf(req), req.params.id, req.body))),
  );
  app.get(
    '/v1/rules/:id',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: 'One alert rule', params: idParams, response: { 200: ruleSchema, ...errors } } },
    async (req) => ruleView(await ruleOf(ctx, teamOf(req), req.params.id)),
  );
  app.patch(
    '/v1/rules/:id',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Change an alert rule', params: idParams, body: patchRuleBody, response: { 200: ruleSchema, ...errors } } },
    async (req) => ruleView(await updateRule(ctx, teamOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/v1/rules/:id',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Delete an alert rule (incidents are still tracked, not alerted)', params: idParams, response: { 200: deleted, ...errors } } },
    async (req) => {
      await deleteRule(ctx, teamOf(req), req.params.id);
      return { deleted: true as const };
    },
  );
};
