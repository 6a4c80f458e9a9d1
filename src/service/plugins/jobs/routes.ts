import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, errorSchema, idParams, secured } from '../common/schemas.js';
import { cancelJob, createJob, jobOf, jobViewOf } from './jobs.js';
import { createJobBody, jobList, jobLogs, jobView } from './schemas.js';

export const jobsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['jobs'];
  app.post(
    '/v1/jobs',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Start a training job (queued; runs in a worker thread)', body: createJobBody, response: { 202: jobView, ...errors } } },
    async (req, reply) => reply.code(202).send(jobViewOf(await createJob(ctx, teamOf(req), req.body))),
  );
  app.get(
    '/v1/jobs',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: "The team's jobs, newest first", querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), response: { 200: jobList, ...errors } } },
    async (req) => ({ jobs: (await ctx.storage.jobs.listJobs(teamOf(req), req.query.limit)).map(jobViewOf) }),
  );
  app.get(
    '/v1/jobs/:id',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: 'A job: state, epoch, loss, percent', params: idParams, response: { 200: jobView, ...errors } } },
    async (req) => jobViewOf(await jobOf(ctx, teamOf(req), req.params.id)),
  );
  app.post(
    '/v1/jobs/:id/cancel',
    { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Cancel a queued or running job', params: idParams, response: { 200: jobView, ...errors, 409: errorSchema } } },
    async (req) => jobViewOf(await cancelJob(ctx, teamOf(req), req.params.id)),
  );
  app.get(
    '/v1/jobs/:id/logs',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: "A job's log lines, oldest first", params: idParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1000) }), response: { 200: jobLogs, ...errors } } },
    async (req) => {
      const j = await jobOf(ctx, teamOf(req), req.params.id);
      return { logs: await ctx.storage.jobs.jobLogs(j.id, req.query.limit) };
    },
  );
};
