import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import { errors, secured } from '../common/schemas.js';

export const metricsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get(
    '/metrics',
    {
      config: { access: 'admin-or-read' },
      schema: { ...secured, tags: ['metrics'], summary: "Prometheus metrics: all with the admin token, a team's own streams' series with its key", response: { 200: z.string(), ...errors } },
    },
    async (req, reply) => {
      const p = req.principal!;
      ctx.metrics.scorerLag.set(Math.max(0, (await ctx.storage.maxSeq()) - ctx.scorer.scoredThrough));
      const text = p.kind === 'admin' ? await ctx.metrics.all() : await ctx.metrics.team(p.teamId);
      return reply.type(ctx.metrics.registry.contentType).send(text);
    },
  );
};
