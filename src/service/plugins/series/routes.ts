/** Reads for charts: a downsampled range of a stream (min-max per column, every anomaly kept) and its series keys. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceContext } from '../../context.js';
import type { ReadPoint } from '../../storage/storage.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { streamOf } from '../streams/streams.js';
import { downsample } from './downsample.js';
import { MAX_SERIES_POINTS, seriesKeys, seriesQuery, seriesView } from './schemas.js';

/** Where the model version scoring the points changes: the first point of each new version (points in time order). */
function modelChanges(pts: readonly ReadPoint[]): { t: number; modelVersion: number }[] {
  const out: { t: number; modelVersion: number }[] = [];
  let last: number | null = null;
  for (const p of pts) {
    const v = p.score?.modelVersion;
    if (v === undefined) continue;
    if (last !== null && v !== last) out.push({ t: p.t, modelVersion: v });
    last = v;
  }
  return out;
}

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
      const sample = pts.map((p) => ({ t: p.t, values: p.values, score: p.score?.score ?? null, anomaly: p.score?.anomaly ?? null, threshold: p.score?.threshold ?? null, channels: p.score?.channels ?? null }));
      const rows = from === null || to === null ? [] : downsample(sample, from, to, q.columns);
      return { from, to, columns: q.columns, points: pts.length, truncated, modelChanges: modelChanges(pts), rows };
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
