import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, secured } from '../common/schemas.js';
import { CATALOGUE, detectorList, detectorUse } from './catalogue.js';

/** What a stream can be scored by, or a job can fit, with each option's JSON Schema (the dashboard's forms are generated from it). */
export const detectorsPlugin: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/detectors',
    {
      config: { access: 'admin-or-read' },
      schema: {
        ...secured,
        tags: ['streams'],
        summary: 'The detectors and their options as JSON Schema: for a stream (default) or for a training job (?for=train)',
        querystring: z.object({ for: detectorUse.default('stream') }).strict(),
        response: { 200: detectorList, ...errors },
      },
    },
    async (req) => ({ detectors: CATALOGUE[req.query.for] }),
  );
};
