/** Server-sent events of scored points, anomalies and model changes: one stream's, or a team's every stream's. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import type { StreamEvent } from '../../events/bus.js';
import { teamOf } from '../common/access.js';
import { errors, idParams, secured } from '../common/schemas.js';
import { streamOf } from '../streams/streams.js';

const eventsQuery = z.object({ only: z.enum(['anomalies']).optional().describe('anomalies: only anomalous points (and model changes)') }).strict();
const summary = 'Server-sent events: `point` (a scored point), `anomaly` (an anomalous point), `model` (a new model version), `incident` (an incident opened, updated or resolved), `job` (a training job\'s state and progress)';

export const eventsPlugin: FastifyPluginAsyncZod<{ ctx: ServiceContext; feeds: Set<() => void> }> = async (app, { ctx, feeds }) => {
  /** Holds the connection open and writes each event of `topic` until the client goes or the server stops. */
  function feed(req: FastifyRequest, reply: FastifyReply, topic: string, onlyAnomalies: boolean): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(`: ${topic}\n\n`);
    const send = (e: StreamEvent): void => {
      const name = e.type !== 'point' ? e.type : e.anomaly ? 'anomaly' : 'point';
      if (onlyAnomalies && name === 'point') return;
      res.write(`event: ${name}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    const unsubscribe = ctx.bus.subscribe(topic, send);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const end = (): void => {
      clearInterval(ping);
      unsubscribe();
      feeds.delete(end);
      res.end();
    };
    feeds.add(end);
    req.raw.on('close', end);
  }

  app.get(
    '/v1/streams/:id/events',
    {
      config: { access: 'read' },
      schema: { ...secured, tags: ['points'], summary, params: idParams, querystring: eventsQuery, response: { 200: z.string().describe('text/event-stream'), ...errors } },
    },
    async (req, reply) => {
      const s = await streamOf(ctx, teamOf(req), req.params.id);
      feed(req, reply, `stream:${s.id}`, req.query.only === 'anomalies');
    },
  );
  app.get(
    '/v1/events',
    {
      config: { access: 'read' },
      schema: { ...secured, tags: ['points'], summary: `${summary}, of every stream of the team`, querystring: eventsQuery, response: { 200: z.string().describe('text/event-stream'), ...errors } },
    },
    async (req, reply) => feed(req, reply, `team:${teamOf(req)}`, req.query.only === 'anomalies'),
  );
};
