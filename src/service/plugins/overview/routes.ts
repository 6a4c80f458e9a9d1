import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, secured } from '../common/schemas.js';
import { overview } from './overview.js';
import { overview as overviewSchema } from './schemas.js';

export const overviewPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/overview',
    { config: { access: 'admin' }, schema: { ...secured, tags: ['overview'], summary: 'Every team with its streams, their state and anomaly counts', response: { 200: overviewSchema, ...errors } } },
    async () => overview(ctx),
  );
  app.get(
    '/v1/me/overview',
    { config: { access: 'read' }, schema: { ...secured, tags: ['overview'], summary: "The caller's own team in the overview's shape (a team key)", response: { 200: overviewSchema, ...errors } } },
    async (req) => overview(ctx, Date.now(), teamOf(req)),
  );
};
