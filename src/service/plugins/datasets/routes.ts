import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { HttpError } from '../../http-errors.js';
import { teamOf } from '../common/access.js';
import { errors, errorSchema, idParams, secured } from '../common/schemas.js';
import { deleted } from '../teams/schemas.js';
import { datasetOf, datasetViewOf, deleteDataset, tooLarge, uploadDataset } from './datasets.js';

const datasetView = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(['csv', 'ndjson']),
  bytes: z.number(),
  rows: z.number(),
  columns: z.array(z.string()),
  createdAt: z.number(),
});

const FORMATS: Record<string, 'csv' | 'ndjson'> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson', 'application/ndjson': 'ndjson' };

export const datasetsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  const tags = ['datasets'];
  // The body stays a stream: the handler writes it to disk with its own size limit.
  app.addContentTypeParser(Object.keys(FORMATS), (_req, payload, done) => done(null, payload));
  app.post(
    '/v1/datasets',
    {
      config: { access: 'write' },
      bodyLimit: Number.MAX_SAFE_INTEGER,
      schema: {
        ...secured,
        tags,
        summary: 'Upload a dataset: a CSV (text/csv) or NDJSON (application/x-ndjson) body, streamed to disk',
        querystring: z.object({ name: z.string().trim().min(1).max(200).optional() }),
        response: { 201: datasetView, ...errors, 413: errorSchema, 415: errorSchema },
      },
    },
    async (req, reply) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const format = FORMATS[type];
      if (!format || !(req.body instanceof Readable)) throw new HttpError(415, 'unsupported_media_type', 'a dataset is a text/csv or application/x-ndjson body');
      const length = Number(req.headers['content-length']);
      if (length > ctx.jobs.datasetLimit) {
        reply.header('connection', 'close');
        throw tooLarge(ctx.jobs.datasetLimit);
      }
      return reply.code(201).send(datasetViewOf(await uploadDataset(ctx, teamOf(req), req.body, format, req.query.name)));
    },
  );
  app.get('/v1/datasets', { config: { access: 'read' }, schema: { ...secured, tags, summary: "The team's datasets", response: { 200: z.object({ datasets: z.array(datasetView) }), ...errors } } }, async (req) => ({
    datasets: (await ctx.storage.jobs.listDatasets(teamOf(req))).map(datasetViewOf),
  }));
  app.get('/v1/datasets/:id', { config: { access: 'read' }, schema: { ...secured, tags, summary: 'One dataset', params: idParams, response: { 200: datasetView, ...errors } } }, async (req) =>
    datasetViewOf(await datasetOf(ctx, teamOf(req), req.params.id)),
  );
  app.delete('/v1/datasets/:id', { config: { access: 'write' }, schema: { ...secured, tags, summary: 'Delete a dataset and its file', params: idParams, response: { 200: deleted, ...errors } } }, async (req) => {
    await deleteDataset(ctx, teamOf(req), req.params.id);
    return { deleted: true as const };
  });
};
