/** Reads for charts: a downsampled range of a stream (min-max per column, every anomaly kept) and its series keys. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { streamOf } from '../streams/streams.js';
import { downsample } from '../../../data/downsample.js';
import { MAX_SERIES_POINTS, seriesKeys, seriesQuery, seriesView } from './schemas.js';

export const seriesPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/streams/:id/series',
    {
      config: { access: 'read' },
      schema: {
        ...secured,
        tags: ['points'],
        summary: 'A range of a stream reduced for a chart: min and max per column, every anomaly kept',
        params: idParams,
        querystring: seriesQuery,
        response: { 200: seriesView, ...errors },
      },
    },
    async (req) => {
      const s = await streamOf(ctx, teamOf(req), req.params.id);
      const q = req.query;
      const read = await ctx.storage.readPoints({ streamId: s.id, from: q.from, to: q.to, key: q.key, limit: MAX_SERIES_POINTS + 1, latest: true });
      const truncated = read.length > MAX_SERIES_POINTS;
      const pts = truncated ? read.slice(1) : read;
      const from = q.from ?? pts[0]?.t ?? null;
      const to = q.to ?? pts.at(-1)?.t ?? null;
      const sample = pts.map((p) => ({ t: p.t, values: p.values, score: p.score?.score ?? null, anomaly: p.score?.anomaly ?? null, threshold: p.score?.threshold ?? null }));
      const rows = from === null || to === null ? [] : downsample(sample, from, to, q.columns);
      return { from, to, columns: q.columns, points: pts.length, truncated, rows };
    },
  );
  app.get(
    '/v1/streams/:id/keys',
    { config: { access: 'read' }, schema: { ...secured, tags: ['points'], summary: 'The series of a stream by key, with point and anomaly counts', params: idParams, response: { 200: seriesKeys, ...errors } } },
    async (req) => {
      const s = await streamOf(ctx, teamOf(req), req.params.id);
      return { keys: await ctx.storage.seriesKeys(s.id) };
    },
  );
};
