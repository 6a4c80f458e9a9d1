import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import { errors, secured } from '../common/schemas.js';
import { roleSchema } from '../teams/schemas.js';

const me = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admin') }),
  z.object({ kind: z.literal('team'), teamId: z.string(), teamName: z.string(), keyId: z.string(), role: roleSchema }),
]);

/** Who the presented key is (the dashboard asks after a sign-in). */
export const mePlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get('/v1/me', { config: { access: 'admin-or-read' }, schema: { ...secured, tags: ['teams'], summary: 'The caller: the admin token, or a team key with its role', response: { 200: me, ...errors } } }, async (req) => {
    const p = req.principal!;
    if (p.kind === 'admin') return { kind: 'admin' as const };
    const team = await ctx.storage.getTeam(p.teamId);
    return { kind: 'team' as const, teamId: p.teamId, teamName: team?.name ?? '', keyId: p.keyId, role: p.role };
  });
};
