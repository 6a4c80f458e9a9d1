import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { badRequest, conflict } from '../../http-errors.js';
import { requestRetrain } from '../../jobs/retrain.js';
import { retrainRequestSchema } from '../../jobs/retrain-policy.js';
import { promoteModel, rollbackModel } from '../../jobs/serving.js';
import { teamOf } from '../common/access.js';
import { errors, errorSchema, idParams, secured } from '../common/schemas.js';
import { jobViewOf } from '../jobs/jobs.js';
import { jobView } from '../jobs/schemas.js';
import { streamView } from '../streams/schemas.js';
import { streamOf, viewOf } from '../streams/streams.js';
import { candidateOf, candidateViewOf, curvesOf, modelOf, modelViewOf, scoreRows } from './models.js';
import { candidateView, curvesView, modelList, modelView, policyView, promoteBody, scoreBody, scoreResult } from './schemas.js';

export const modelsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['models'];
  app.addContentTypeParser(['text/csv'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, { rows: parseCsv(body as string, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[] });
    } catch (e) {
      done(badRequest(`CSV: ${(e as Error).message}`), undefined);
    }
  });

  app.get('/v1/models', { config: { access: 'read' }, schema: { ...secured, tags, summary: "The team's model versions", response: { 200: modelList, ...errors } } }, async (req) => ({
    models: (await ctx.storage.jobs.listModels(teamOf(req))).map(modelViewOf),
  }));
  app.get('/v1/models/:id', { config: { access: 'read' }, schema: { ...secured, tags, summary: 'A model version: options, metrics, training data', params: idParams, response: { 200: modelView, ...errors } } }, async (req) =>
    modelViewOf(await modelOf(ctx, teamOf(req), req.params.id)),
  );
  app.get(
    '/v1/models/:id/curves',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: "The training scores' ROC and PR curves (with labels) and histogram, drawn by the core's evaluate functions", params: idParams, response: { 200: curvesView, ...errors } } },
    async (req) => curvesOf(await modelOf(ctx, teamOf(req), req.params.id)),
  );
  app.get('/v1/models/:id/file', { config: { access: 'read' }, schema: { ...secured, tags, summary: "The model file (the library's portable format; `vigil score --model` reads it)", params: idParams } }, async (req, reply) => {
    const m = await modelOf(ctx, teamOf(req), req.params.id);
    reply.header('content-type', 'application/octet-stream').header('content-disposition', `attachment; filename="${m.id}.vigil"`);
    return reply.send(createReadStream(join(ctx.jobs.dataDir, m.file)));
  });
  app.post(
    '/v1/models/:id/score',
    { config: { access: 'read' }, schema: { ...secured, tags, summary: 'Batch scoring: rows (JSON or CSV) to scores, flags and explanations', params: idParams, body: scoreBody, response: { 200: scoreResult, ...errors, 415: errorSchema } } },
    async (req) => scoreRows(ctx, await modelOf(ctx, teamOf(req), req.params.id), req.body),
  );

  const streamTags = ['streams'];
  app.post(
    '/v1/streams/:id/model',
    { config: { access: 'write' }, schema: { ...secured, tags: streamTags, summary: 'Promote a model version to score the stream (its model version bumps)', params: idParams, body: promoteBody, response: { 200: streamView, ...errors, 409: errorSchema } } },
    async (req) => {
      const team = teamOf(req);
      const s = await streamOf(ctx, team, req.params.id);
      return viewOf(await promoteModel(ctx, s, await modelOf(ctx, team, req.body.version), 'promoted by request'));
    },
  );
  app.post(
    '/v1/streams/:id/rollback',
    { config: { access: 'write' }, schema: { ...secured, tags: streamTags, summary: 'Go back to what scored the stream before the last promotion', params: idParams, response: { 200: streamView, ...errors, 409: errorSchema } } },
    async (req) => viewOf(await rollbackModel(ctx, await streamOf(ctx, teamOf(req), req.params.id))),
  );
  app.post(
    '/v1/streams/:id/retrain',
    { config: { access: 'write' }, schema: { ...secured, tags: streamTags, summary: 'Retrain on the recent points; the candidate is compared in shadow when the job ends', params: idParams, body: retrainRequestSchema.default({}), response: { 202: jobView, ...errors } } },
    async (req, reply) => reply.code(202).send(jobViewOf(await requestRetrain(ctx, await streamOf(ctx, teamOf(req), req.params.id), req.body, 'requested'))),
  );
  app.get(
    '/v1/streams/:id/candidates',
    { config: { access: 'read' }, schema: { ...secured, tags: streamTags, summary: 'Retrained candidates with their shadow comparisons, newest first', params: idParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }), response: { 200: z.object({ candidates: z.array(candidateView) }), ...errors } } },
    async (req) => {
      const s = await streamOf(ctx, teamOf(req), req.params.id);
      return { candidates: (await ctx.storage.jobs.listShadows(s.id, req.query.limit)).map(candidateViewOf) };
    },
  );
  app.post(
    '/v1/streams/:id/candidates/:candidate/promote',
    { config: { access: 'write' }, schema: { ...secured, tags: streamTags, summary: 'Promote a candidate by hand', params: idParams.extend({ candidate: z.string().min(1).max(100) }), response: { 200: streamView, ...errors, 409: errorSchema } } },
    async (req) => {
      const team = teamOf(req);
      const s = await streamOf(ctx, team, req.params.id);
      const c = await candidateOf(ctx, s.id, req.params.candidate);
      if (c.status === 'promoted') throw conflict(`candidate ${c.id} is already promoted`);
      const updated = await promoteModel(ctx, s, await modelOf(ctx, team, c.candidateModelId), `promoted candidate ${c.id}`);
      await ctx.storage.jobs.setShadowStatus(c.id, 'promoted');
      return viewOf(updated);
    },
  );
  app.get(
    '/v1/streams/:id/policy',
    { config: { access: 'read' }, schema: { ...secured, tags: streamTags, summary: "The stream's retrain and retention settings (set with PATCH /v1/streams/{id})", params: idParams, response: { 200: policyView, ...errors } } },
    async (req) => {
      const s = await streamOf(ctx, teamOf(req), req.params.id);
      const p = await ctx.storage.jobs.getPolicy(s.id);
      return { retrain: (p?.retrain as Record<string, unknown> | null) ?? null, retentionDays: p?.retentionDays ?? null, lastRetrainAt: p?.lastRetrainAt ?? null };
    },
  );
};
