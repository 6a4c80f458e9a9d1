import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VERSION } from '../../../version.js';
import type { ServiceContext } from '../../context.js';

const health = z.object({ status: z.literal('ok'), version: z.string(), scoredThrough: z.number().describe('highest point seq scored') });

export const healthPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get('/health', { config: { access: 'open' }, schema: { tags: ['service'], summary: 'Liveness (open)', response: { 200: health } } }, async () => ({
    status: 'ok' as const,
    version: VERSION,
    scoredThrough: ctx.scorer.scoredThrough,
  }));
};
