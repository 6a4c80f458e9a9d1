import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { incidentParams } from '../incidents/schemas.js';
import { incidentFeedback, listFeedback, recalibrate, streamFeedback } from './feedback.js';
import { feedbackCreated, feedbackList, feedbackQuery, incidentFeedbackBody, recalibrateBody, recalibration, streamFeedbackBody } from './schemas.js';

export const feedbackPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['feedback'];
  app.post(
    '/v1/streams/:id/feedback',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Label a point or a time range of the stream anomaly or normal', params: idParams, body: streamFeedbackBody, response: { 201: feedbackCreated, ...errors } } },
    async (req, reply) => reply.code(201).send(await streamFeedback(ctx, teamOf(req), req.params.id, req.body)),
  );
  app.get(
    '/v1/streams/:id/feedback',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: "The stream's feedback, newest first", params: idParams, querystring: feedbackQuery, response: { 200: feedbackList, ...errors } } },
    async (req) => ({ feedback: await listFeedback(ctx, teamOf(req), req.params.id, req.query.limit) }),
  );
  app.post(
    '/v1/incidents/:id/feedback',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: "Label an incident's points anomaly or normal", params: incidentParams, body: incidentFeedbackBody, response: { 201: feedbackCreated, ...errors } } },
    async (req, reply) => reply.code(201).send(await incidentFeedback(ctx, teamOf(req), req.params.id, req.body)),
  );
  app.post(
    '/v1/streams/:id/recalibrate',
    {
      config: { access: 'write' },
      schema: {
        ...secured,
        tags,
        summary: 'Move the threshold so confirmed normals fall below it and confirmed anomalies above it (a fixed threshold, a new model version)',
        params: idParams,
        body: recalibrateBody.nullish().describe("optional"),
        response: { 200: recalibration, 409: errors[400], ...errors },
      },
    },
    async (req) => recalibrate(ctx, teamOf(req), req.params.id, req.body ?? {}),
  );
};
