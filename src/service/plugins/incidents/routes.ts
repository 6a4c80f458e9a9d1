import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, secured } from '../common/schemas.js';
import { ackIncident, incidentDetail, listIncidents } from './incidents.js';
import { incidentDetail as detailSchema, incidentList, incidentParams, incidentView, incidentsQuery } from './schemas.js';

export const incidentsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['alerts'];
  app.get(
    '/v1/incidents',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: "The team's incidents, newest first", querystring: incidentsQuery, response: { 200: incidentList, ...errors } } },
    async (req) => ({ incidents: await listIncidents(ctx, teamOf(req), req.query) }),
  );
  app.get(
    '/v1/incidents/:id',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: 'One incident with its alert deliveries', params: incidentParams, response: { 200: detailSchema, ...errors } } },
    async (req) => incidentDetail(ctx, teamOf(req), req.params.id),
  );
  app.post(
    '/v1/incidents/:id/ack',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Acknowledge an incident (the first acknowledgement time is kept)', params: incidentParams, response: { 200: incidentView, ...errors } } },
    async (req) => ackIncident(ctx, teamOf(req), req.params.id),
  );
};
