import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import type { ReadPoint } from '../../storage/storage.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { labelsOf } from '../feedback/feedback.js';
import { streamOf } from '../streams/streams.js';
import { pointsList, pointsQuery, type pointView } from './schemas.js';

function view(p: ReadPoint): z.infer<typeof pointView> {
  const names = Object.keys(p.values);
  const single = names.length === 1 && names[0] === 'value';
  const s = p.score;
  return {
    t: p.t,
    key: p.key,
    ...(single ? { value: p.values['value']! } : { values: p.values }),
    scored: s !== null,
    score: s?.score ?? null,
    anomaly: s ? s.anomaly : null,
    threshold: s?.threshold ?? null,
    channels: s?.channels ?? null,
    modelVersion: s?.modelVersion ?? null,
    ...(s?.error ? { error: s.error } : {}),
  };
}

export const pointsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/streams/:id/points',
    {
      config: { access: 'read' },
      schema: { ...secured, tags: ['points'], summary: 'Stored points with their scores, oldest first', params: idParams, querystring: pointsQuery, response: { 200: pointsList, ...errors } },
    },
    async (req) => {
      const s = await streamOf(ctx, teamOf(req), req.params.id);
      const q = req.query;
      const rows = await ctx.storage.readPoints({ streamId: s.id, from: q.from, to: q.to, key: q.key, limit: q.limit, latest: q.latest === 'true' });
      const labels = await labelsOf(ctx, s.id, rows);
      return { points: rows.map((p, i) => ({ ...view(p), label: labels[i]! })), limit: q.limit };
    },
  );
};
