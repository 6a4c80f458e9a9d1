/**
 * The dashboard: the Vite build in dist/web served at `/`, with index.html for the client's routes
 * (a GET that is not the API and asks for HTML). The dashboard itself only calls the public /v1 API.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** dist/web beside dist/service (this file is dist/service/plugins/web/routes.js). */
export const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

const API = /^\/(v1|health|metrics|openapi\.json)(\/|$|\?)/;

export const webPlugin: FastifyPluginAsync = async (app) => {
  if (!existsSync(WEB_ROOT)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.code(503).type('text/plain').send('vigil serve: the dashboard is not built (run npm run build); the API is under /v1\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    wildcard: true,
    index: ['index.html'],
    // Vite's assets carry a content hash in their name; index.html must be fetched fresh.
    setHeaders: (res, path) => res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
};

/** For the not-found handler: a client route of the dashboard gets index.html (true when it answered). */
export function sendDashboard(req: FastifyRequest, reply: FastifyReply): boolean {
  if (req.method !== 'GET' || API.test(req.url) || !existsSync(WEB_ROOT) || !(req.headers.accept ?? '').includes('text/html')) return false;
  void reply.header('cache-control', 'no-cache').sendFile('index.html');
  return true;
}
