/**
 * The HTTP surface: Fastify with zod schemas (one schema validates a request, types its handler
 * and documents it in /openapi.json), bearer-key auth per route, rate limits per key, and one
 * JSON error shape. Each area is a plugin folder; handlers parse, call a service function, reply.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { VERSION } from '../version.js';
import { authorize, resolvePrincipal, type Access, type Principal } from './auth/principal.js';
import { bearer, splitKey } from './auth/tokens.js';
import type { ServiceContext } from './context.js';
import { errorHandler } from './error-handler.js';
import { HttpError } from './http-errors.js';
import { alertsPlugin } from './plugins/alerts/routes.js';
import { datasetsPlugin } from './plugins/datasets/routes.js';
import { detectorsPlugin } from './plugins/detectors/routes.js';
import { eventsPlugin } from './plugins/events/routes.js';
import { feedbackPlugin } from './plugins/feedback/routes.js';
import { healthPlugin } from './plugins/health/routes.js';
import { incidentsPlugin } from './plugins/incidents/routes.js';
import { jobsPlugin } from './plugins/jobs/routes.js';
import { ingestPlugin } from './plugins/ingest/routes.js';
import { mePlugin } from './plugins/me/routes.js';
import { metricsPlugin } from './plugins/metrics/routes.js';
import { modelsPlugin } from './plugins/models/routes.js';
import { overviewPlugin } from './plugins/overview/routes.js';
import { pointsPlugin } from './plugins/points/routes.js';
import { sinksPlugin } from './plugins/sinks/routes.js';
import { streamsPlugin } from './plugins/streams/routes.js';
import { seriesPlugin } from './plugins/series/routes.js';
import { teamsPlugin } from './plugins/teams/routes.js';
import { sendDashboard, webPlugin } from './plugins/web/routes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AppOptions {
  /** Largest request body in bytes (default 16 MiB). */
  bodyLimit?: number;
  /** Requests per key (or per address without one) in each window (default 100,000 a second). */
  rateLimit?: number;
  rateWindowMs?: number;
}

export interface ServiceApp {
  app: FastifyInstance;
  /** Ends every open event feed (so a shutdown does not wait on them). */
  closeFeeds(): void;
}

export async function buildApp(ctx: ServiceContext, opts: AppOptions = {}): Promise<ServiceApp> {
  const app = Fastify({ logger: false, bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024, return503OnClosing: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(ctx.log));
  app.setNotFoundHandler((req, reply) => {
    if (sendDashboard(req, reply)) return;
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  app.decorateRequest('principal', null);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Vigil service', version: VERSION, description: 'Teams, streams, durable ingest and live anomaly scoring' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a team key (vk_...) or the admin token' } } },
    },
    transform: jsonSchemaTransform,
  });

  await app.register(rateLimit, {
    max: opts.rateLimit ?? 100_000,
    timeWindow: opts.rateWindowMs ?? 1000,
    // Per key: the id part of a team key, else the token itself, else the caller's address.
    keyGenerator: (req) => {
      const token = bearer(req.headers.authorization);
      return token ? (splitKey(token)?.id ?? token) : req.ip;
    },
    // The limit headers go only on a 429 (with Retry-After), not on every acknowledged point.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_req, c) => new HttpError(c.statusCode, 'rate_limited', `rate limit of ${c.max} requests exceeded; retry in ${c.after}`),
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access ?? 'open';
    if (access === 'open') return;
    const token = bearer(req.headers.authorization);
    req.principal = token ? await resolvePrincipal(ctx.storage, ctx.adminHash, token) : null;
    if (token && !req.principal) throw new HttpError(401, 'unauthorized', 'unknown or revoked key');
    authorize(access, req.principal);
  });

  app.get('/openapi.json', { config: { access: 'open' }, schema: { hide: true } }, async () => app.swagger());

  const feeds = new Set<() => void>();
  await app.register(healthPlugin, { ctx });
  await app.register(teamsPlugin, { ctx });
  await app.register(mePlugin, { ctx });
  await app.register(detectorsPlugin);
  await app.register(streamsPlugin, { ctx });
  await app.register(ingestPlugin, { ctx });
  await app.register(pointsPlugin, { ctx });
  await app.register(eventsPlugin, { ctx, feeds });
  await app.register(metricsPlugin, { ctx });
  await app.register(overviewPlugin, { ctx });
  for (const plugin of [sinksPlugin, alertsPlugin, incidentsPlugin, feedbackPlugin]) await app.register(plugin, { ctx });
  for (const plugin of [datasetsPlugin, jobsPlugin, modelsPlugin]) await app.register(plugin, { ctx });
  await app.register(seriesPlugin, { ctx });
  await app.register(webPlugin);
  await app.ready();
  return { app, closeFeeds: () => [...feeds].forEach((end) => end()) };
}
