import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { createKeyBody, createTeamBody, deleted, keyCreated, keyList, teamCreated, teamList } from './schemas.js';
import { createKey, createTeam, deleteKey, teamFor } from './teams.js';

export const teamsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/teams',
    { config: { access: 'admin' }, schema: { ...secured, tags: ['teams'], summary: 'Create a team and its first (admin) key', body: createTeamBody, response: { 201: teamCreated, ...errors } } },
    async (req, reply) => reply.code(201).send(await createTeam(ctx, req.body.name)),
  );
  app.get('/v1/teams', { config: { access: 'admin' }, schema: { ...secured, tags: ['teams'], summary: 'Every team', response: { 200: teamList, ...errors } } }, async () => ({
    teams: await ctx.storage.listTeams(),
  }));
  app.post(
    '/v1/teams/:id/keys',
    {
      config: { access: 'admin-or-team-admin' },
      schema: { ...secured, tags: ['teams'], summary: 'Create a key for a team', params: idParams, body: createKeyBody, response: { 201: keyCreated, ...errors } },
    },
    async (req, reply) => {
      const team = await teamFor(ctx, req.principal!, req.params.id);
      return reply.code(201).send(await createKey(ctx, team.id, req.body.role));
    },
  );
  app.get(
    '/v1/keys',
    { config: { access: 'admin-or-team-admin' }, schema: { ...secured, tags: ['teams'], summary: "Keys: the team's own with a team admin key, every team's with the admin token", response: { 200: keyList, ...errors } } },
    async (req) => {
      const p = req.principal!;
      const keys = await ctx.storage.listKeys(p.kind === 'team' ? p.teamId : undefined);
      return { keys: keys.map(({ id, teamId, role, createdAt }) => ({ id, teamId, role, createdAt })) };
    },
  );
  app.delete(
    '/v1/keys/:id',
    { config: { access: 'admin-or-team-admin' }, schema: { ...secured, tags: ['teams'], summary: 'Revoke a key', params: idParams, response: { 200: deleted, ...errors } } },
    async (req) => {
      await deleteKey(ctx, req.principal!, req.params.id);
      return { deleted: true as const };
    },
  );
};
